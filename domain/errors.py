"""Domain errors that tell a user, in their own language, what is wrong and what to do.

Every refusal carries a stable ``code`` (for programs and tests) and parameters; the message
is rendered in zh-CN by default or in English, so the CLI, the web and the scheduler show the
same words for the same rule.
"""

from __future__ import annotations

from typing import Any

DEFAULT_LOCALE = "zh-CN"

MESSAGES: dict[str, tuple[str, str]] = {
    "not_found": ("找不到{what}：{key}", "No {what} found: {key}"),
    "ambiguous": ("“{key}”对应多个{what}，请使用编号：{candidates}", "“{key}” matches several {what}; use the id: {candidates}"),
    "required": ("{field}不能为空", "{field} is required"),
    "too_many_saved_filters": ("每个清单最多保存 {most} 个筛选，请先删除不用的", "At most {most} saved filters per list: delete one first"),
    "not_in_chain": (
        "截至{day}，{what} {key} 尚未进入整改链条：还没有因它安排约谈或启动整改",
        "As of {day}, {what} {key} is in no rectification chain yet: no interview or rectification has come of it",
    ),
    "not_yet_recorded": (
        "截至{day}，编号 {key} 尚无任何记录：它在此之后才登记",
        "As of {day}, nothing with id {key} had been recorded yet: it was recorded later",
    ),
    "invalid_value": ("{field}的值无效：{value}（可选：{allowed}）", "Invalid {field}: {value} (allowed: {allowed})"),
    "not_permitted": ("{actor}无权{action}：{reason}", "{actor} may not {action}: {reason}"),
    "wrong_state": ("{what}当前状态为“{state}”，不能{action}", "{what} is “{state}” and cannot be {action}"),
    "deadline_before_issue": ("完成时限 {deadline} 早于下达日期 {issued_on}", "Deadline {deadline} is before the issue date {issued_on}"),
    "deadline_after_parent": ("分解任务的完成时限 {deadline} 晚于上级任务的时限 {parent_deadline}", "A broken-down task's deadline {deadline} is after its parent's {parent_deadline}"),
    "deadline_ambiguous": ("请只给出完成日期或工作日天数中的一个", "Give either a deadline date or a number of working days, not both"),
    "deadline_missing": ("请给出完成时限（日期或工作日天数）", "A deadline is required (a date or a number of working days)"),
    "working_days_positive": ("工作日天数必须为正整数：{value}", "The number of working days must be positive: {value}"),
    "calendar_year_missing": (
        "缺少 {year} 年的节假日安排，无法按工作日计算时限。请管理员先导入：dutyloop calendar load {year} 文件",
        "No official holiday schedule for {year}: working-day deadlines cannot be computed. An admin loads it with: dutyloop calendar load {year} FILE",
    ),
    "date_in_future": ("{field} {value} 晚于今天 {today}", "{field} {value} is after today {today}"),
    "extension_not_later": ("延期后的时限 {requested} 必须晚于当前时限 {current}", "The extended deadline {requested} must be after the current deadline {current}"),
    "extension_pending": ("已有待审批的延期申请", "An extension request is already awaiting approval"),
    "no_extension_pending": ("没有待审批的延期申请", "There is no extension request awaiting approval"),
    "evidence_required": ("请提供佐证材料（文字、链接或文件）", "Evidence is required (text, links or files)"),
    "close_unverified": ("整改尚未验收通过，不能销号", "The rectification has not been verified and cannot be closed"),
    "self_verification": ("整改责任人不能验收自己的整改", "The person responsible for a rectification cannot verify it"),
    "no_authority": ("{actor}对{org}没有管理权限", "{actor} has no authority over {org}"),
    "self_interview": ("不能约谈自己", "A person cannot interview themselves"),
    "org_not_under": ("{child}不在{parent}之下", "{child} is not under {parent}"),
    "duplicate": ("{what}已存在：{key}", "{what} already exists: {key}"),
    "reassign_same_owner": ("转办对象与当前责任人、责任组织相同", "The task already has that owner and organisation"),
    "concurrent_edit": (
        "{what}刚被其他人修改（当前版本 {actual}，表单版本 {expected}），请刷新后重试",
        "{what} was just changed by someone else (now version {actual}, your form had {expected}); reload and try again",
    ),
    "busy": ("{what}正被频繁修改，请稍后重试", "{what} is being changed by others right now; try again shortly"),
    "minutes_required": ("会议尚未记录纪要，不能下达任务清单", "The meeting has no minutes yet; a task list is issued from the minutes"),
    "empty_task_list": ("任务清单中没有任务", "The task list has no tasks"),
    "calendar_conflict": ("{day} 不能同时是节假日和调休工作日", "{day} cannot be both a holiday and a working day"),
    "calendar_wrong_year": ("{day} 不属于 {year} 年", "{day} is not in {year}"),
    "owner_not_in_org": ("{person}不属于{org}，不能作为其责任人", "{person} does not belong to {org} and cannot be responsible there"),
    "unknown_item": ("清单事项 {item} 不在该责任清单中", "Item {item} is not on this responsibility list"),
    "grade_or_score": ("请给出等次或分数中的一个", "Give either a grade or a score, not both"),
    "self_review": ("不能评议自己的述职报告", "Nobody reviews their own report"),
    "review_not_graded": ("述职报告尚无评议，不能发布", "The report has no reviews yet and cannot be published"),
    "self_approval": ("积分调整须由提出人以外的人审批", "An adjustment is approved by someone other than the one who proposed it"),
    "weights_sum": ("三个维度的权重之和须为 100，现为 {total}", "The three dimension weights must add up to 100, not {total}"),
    "assessment_published": ("{year} 年度考核已发布，不能再修改", "The {year} assessment is published and can no longer change"),
    "same_org": ("{name}已在该组织", "{name} already belongs to that organisation"),
    "person_left": ("{name}（{staff_no}）已于 {on} 离职", "{name} ({staff_no}) left on {on}"),
    "back_entry_before_start": ("补录日期 {value} 早于该{what}的开始日期 {start}", "The back-entry date {value} is before this {what} began on {start}"),
    "back_entry_before_load": (
        "补录日期 {value} 早于 {year} 年节假日安排上次导入的日期 {last}",
        "The back-entry date {value} is before the {year} schedule was last loaded, on {last}",
    ),
    "back_entry_too_old": (
        "补录日期 {value} 距今超过 {limit} 个工作日，须由系统管理员补录",
        "The back-entry date {value} is more than {limit} working days ago; only an administrator may enter it",
    ),
    "same_holder": ("交出人与接手人是同一人", "The one handing over and the one taking over are the same person"),
    "review_own_work": ("不能把验收交给该项工作的承办人本人", "The review cannot pass to the one who does the work"),
    "nothing_to_hand_over": ("{name}没有需要交接的工作", "{name} has no open work to hand over"),
    "roster_has_errors": (
        "名册有 {count} 处错误，未记录任何内容；请改正后重新导入，或加 --apply-valid 只记录无误的行",
        "The roster has {count} errors and nothing was recorded; correct them and import again, or add --apply-valid to record only the valid rows",
    ),
    "roster_unreadable": ("无法读取名册文件 {file}：{reason}", "Cannot read the roster file {file}: {reason}"),
    "roster_missing_column": ("“{sheet}”表缺少列“{column}”", "Sheet “{sheet}” has no column “{column}”"),
    "roster_blank": ("不能为空", "must not be blank"),
    "roster_repeated": ("与第 {row} 行重复", "repeats row {row}"),
    "roster_unknown_org": ("找不到组织“{name}”：既未登记，也不在组织表中", "No organisation “{name}”: neither recorded nor in the organisations sheet"),
    "roster_parent_fixed": ("“{name}”的上级已登记为“{recorded}”，名册不能更改上级", "“{name}” is recorded under “{recorded}”; a roster cannot change an organisation's parent"),
    "roster_kind_fixed": ("“{name}”已登记为{recorded}，名册不能更改类型", "“{name}” is recorded as {recorded}; a roster cannot change its kind"),
    "roster_second_committee": ("公司党委已登记为“{name}”，只能有一个", "The company committee is recorded as “{name}”; there is only one"),
    "roster_parent_required": ("党支部须写明上级组织", "A branch needs its parent organisation"),
    "roster_rename_clash": ("“{former}”不能更名为“{name}”：该名称已被使用", "“{former}” cannot be renamed to “{name}”: that name is taken"),
    "roster_admin_role": ("系统管理员角色不通过名册分配，请用 role assign", "The administrator role is not given by a roster; use role assign"),
    "roster_unlisted_person": ("工号 {staff_no} 不在人员表中（或该行有误）", "Staff number {staff_no} is not in the people sheet (or its row has errors)"),
    "text_too_long": ("{field}过长：{length} 个字符，最多 {limit} 个", "{field} is too long: {length} characters, at most {limit}"),
    "text_forbidden_character": (
        "{field}含有不允许的字符 {char}（第 {position} 个字符）：控制字符、无效字符或文字方向控制符",
        "{field} contains a character that is not allowed, {char} (character {position}): a control, invalid or direction-override character",
    ),
    "text_blank": ("{field}只有空白或不可见字符", "{field} holds only blank or invisible characters"),
    "out_of_range": ("{field}超出范围：{value}（应在 {low} 至 {high} 之间）", "{field} is out of range: {value} (from {low} to {high})"),
    "already_initialised": (
        "系统已初始化，不能再创建首个管理员；请由现有管理员用 dutyloop role assign 分配管理员角色",
        "The system is set up already: there is no second first administrator; an administrator assigns the role with dutyloop role assign",
    ),
    "not_a_branch": ("{org}不是党支部，不参加积分和考核", "{org} is not a branch; only branches earn points and are assessed"),
}


TERMS: dict[str, tuple[str, str]] = {
    # things
    "organisation": ("组织", "organisation"),
    "person": ("人员", "person"),
    "task": ("任务", "task"),
    "meeting": ("会议", "meeting"),
    "inspection": ("检查", "inspection"),
    "finding": ("问题", "finding"),
    "interview": ("约谈", "interview"),
    "rectification": ("整改", "rectification"),
    "responsibility_list": ("责任清单", "responsibility list"),
    "aspect": ("责任方面", "aspect"),
    "work_prompt": ("工作提示", "work prompt"),
    "saved_filter": ("保存的筛选", "saved filter"),
    "filter_name": ("筛选名称", "filter name"),
    "list": ("清单", "list"),
    "reminder": ("提醒", "reminder"),
    "calendar_year": ("年度节假日安排", "holiday schedule"),
    "role": ("角色", "role"),
    # fields
    "on": ("业务日期", "business date"),
    "title": ("标题", "title"),
    "name": ("名称", "name"),
    "subject": ("主题", "subject"),
    "staff_no": ("工号", "staff number"),
    "note": ("说明", "note"),
    "requirements": ("要求", "requirements"),
    "requirement": ("整改要求", "requirement"),
    "summary": ("摘要", "summary"),
    "description": ("问题描述", "description"),
    "content": ("内容", "content"),
    "minutes": ("约谈记录", "minutes"),
    "plan": ("整改方案", "plan"),
    "reason": ("理由", "reason"),
    "evidence": ("佐证材料", "evidence"),
    "file": ("文件", "file"),
    "comment": ("意见", "comment"),
    "opinion": ("验收意见", "opinion"),
    "decisions": ("会议决定", "decisions"),
    "commitments": ("整改承诺", "commitments"),
    "business_account": ("业务账", "business account"),
    "party_account": ("党建账", "Party-building account"),
    "email": ("电子邮箱", "email"),
    "phone": ("电话", "phone"),
    "duty": ("分管工作", "duty"),
    "category": ("类别", "category"),
    "direction": ("方向", "direction"),
    "team": ("服务队", "team"),
    "source": ("来源", "source"),
    "points": ("分值", "points"),
    "due_soon": ("临期预警天数", "due-soon days"),
    "serious": ("严重逾期天数", "serious-overdue days"),
    "escalation_grace": ("逐级提醒间隔", "escalation steps"),
    "working_days": ("工作日天数", "working days"),
    "year": ("年度", "year"),
    "score": ("分数", "score"),
    "step": ("提醒层级", "escalation step"),
    "overdue_working_days": ("逾期工作日数", "working days overdue"),
    "task_status": ("任务状态", "task status"),
    # actions
    "register": ("登记", "register"),
    "view_page": ("查看此页面", "view this page"),
    "assign_role": ("分配角色", "assign roles"),
    "plan_meeting": ("安排会议", "plan meetings"),
    "record_minutes": ("记录会议纪要", "record minutes"),
    "issue_tasks": ("下达任务", "issue tasks"),
    "break_down": ("分解任务", "break down tasks"),
    "sign_for": ("签收", "signed for"),
    "report_progress": ("报送进展", "reported on"),
    "report_done": ("报送完成", "reported done"),
    "accept": ("验收通过", "accepted"),
    "return": ("退回", "returned"),
    "request_extension": ("申请延期", "extended"),
    "decide_extension": ("审批延期", "decide extensions"),
    "cancel": ("撤销", "cancelled"),
    "inspect": ("开展检查", "inspect"),
    "send_prompt": ("发送工作提示", "send work prompts"),
    "interview_someone": ("约谈", "interview"),
    "hold": ("记录约谈结果", "held"),
    "open_rectification": ("启动整改", "open rectifications"),
    "submit_plan": ("提交整改方案", "given a plan"),
    "note_progress": ("记录整改进展", "noted"),
    "report_completion": ("报送整改完成", "reported complete"),
    "verify": ("验收", "verified"),
    "close": ("销号", "closed"),
    "record_reminder": ("记录提醒", "record reminders"),
    "publish_bulletin": ("发布月度通报", "publish bulletins"),
    "set_thresholds": ("设置预警阈值", "set warning thresholds"),
    "warning_policy": ("预警阈值", "warning thresholds"),
    "manage_list": ("维护责任清单", "maintain responsibility lists"),
    "load_calendar": ("导入节假日安排", "load holiday schedules"),
    "dissolve": ("撤销组织", "dissolved"),
    "hand_over": ("交接", "handed over"),
    "follow": ("关注", "follower"),
    "task_review": ("待验收任务", "task to accept"),
    "rectification_check": ("待验收整改", "rectification to verify"),
    "urge": ("催办", "urge"),
    "comment_on": ("留言", "comment on"),
    "reassign": ("转办", "reassign"),
    "calendar": ("节假日安排", "holiday schedule"),
    "token": ("令牌", "token"),
    "revoke": ("撤销", "revoked"),
    "revoked": ("已撤销", "revoked"),
    # reasons
    "reason_admin_only": ("仅系统管理员可以操作", "only an administrator may do this"),
    "reason_not_owner": ("不是责任人，也不是该组织的支部书记或党务工作者", "not the person responsible nor the secretary or party-affairs worker of that organisation"),
    "reason_not_supervisor": ("不是下达人，也没有上级管理权限（责任人不能验收自己的工作）", "neither the issuer nor a leader above that organisation (nobody accepts their own work)"),
    "reason_not_leader": ("不是该组织或其上级的党委书记、班子成员、党建部人员或本支部书记", "not a secretary, team member or party-building department member for that organisation"),
    "reason_not_inspector": ("不是党建部、纪检或负责该支部“责任田”的柔性团队成员", "not party-building department, discipline inspection, or the flexible-team member for that branch"),
    "reason_not_interviewer": ("不是约谈人，也不是有权记录约谈的纪检人员", "neither the interviewer nor discipline inspection staff with authority to record it"),
    "reason_not_urger": ("不是上级领导或纪检人员（责任人不能催办自己）", "neither a leader above that organisation nor discipline inspection (nobody urges themselves)"),
    "reason_not_concerned": ("与该事项无关（不是责任人、下达人、所在支部、上级或纪检人员）", "not concerned with it (neither its owner, issuer, branch, leaders nor discipline inspection)"),
    "reason_not_checker": ("不是问题提出人，也没有对该组织的管理权限", "neither the one who raised it nor someone with authority over that organisation"),
    "reason_scheduler_only": ("提醒由定时任务记录", "reminders are recorded by the scheduler"),
    "reason_self_or_admin": ("只能修改本人的联系方式", "only your own contact details"),
    "reason_self_or_admin_account": ("只能管理本人的账号和令牌；他人的由系统管理员管理", "only your own account and tokens; others' are an administrator's"),
    "administer": ("执行管理命令", "run admin commands"),
    "follow_task": ("关注该任务", "follow this task"),
    "follow_for": ("为他人设置关注", "make others follow a task"),
    "reason_not_reader": (
        "不是该组织的成员，也不是其领导、检查或纪检人员",
        "not a member of that organisation, nor one who leads, inspects or has authority over it",
    ),
    "set_notify_route": ("设置通知渠道", "set notification channels"),
    "retry_delivery": ("重新发送通知", "queue a notification again"),
    "reason_own_routes": ("只能设置本人的通知渠道；组织和他人的由系统管理员设置", "only your own channels; an organisation's or someone else's are set by an administrator"),
    "review": ("述职评议", "review"),
    "adjustment": ("积分调整", "points adjustment"),
    "file_review": ("提交述职报告", "file reports"),
    "grade_review": ("评议", "graded"),
    "publish_review": ("发布评议结果", "published"),
    "recall_review": ("撤回评议结果", "recalled"),
    "correct_review": ("更正评议结果", "corrected"),
    "approve_adjustment": ("审批积分调整", "decide points adjustments"),
    "propose_adjustment": ("提出积分调整", "propose points adjustments"),
    "award": ("认定标杆或“党建+”项目", "award model branches or \"党建+\" projects"),
    "record_activity": ("记录服务队活动", "record service-team activities"),
    "set_rules": ("修订积分规则", "set scoring rules"),
    "assess": ("开展年度考核", "run the annual assessment"),
    "reason_not_reviewer": ("不是该支部上级的党委书记、班子成员、党建部或纪检人员", "not a secretary, team member, party-building department or discipline member above that branch"),
    "reason_not_publisher": ("不是该支部上级的党委书记、班子成员或党建部人员", "not a secretary, team member or party-building department member above that branch"),
    "reason_not_secretary": ("不是该支部的支部书记", "not the secretary of that branch"),
    # states
    "issued": ("已下达", "issued"),
    "signed": ("已签收", "signed for"),
    "in_progress": ("办理中", "in progress"),
    "reported_done": ("已报完成", "reported done"),
    "accepted": ("已验收", "accepted"),
    "returned": ("已退回", "returned"),
    "cancelled": ("已撤销", "cancelled"),
    "planned": ("已计划", "planned"),
    "held": ("已召开", "held"),
    "scheduled": ("已安排", "scheduled"),
    "opened": ("整改中", "open"),
    "unrectified": ("未整改", "not rectified"),
    "completion_reported": ("已报整改完成", "completion reported"),
    "verified": ("已验收", "verified"),
    "closed": ("已销号", "closed"),
    "dissolved": ("已撤销", "dissolved"),
    "active": ("正常", "active"),
    "filed": ("已提交", "filed"),
    "graded": ("已评议", "graded"),
    "published": ("已发布", "published"),
    "recalled": ("已撤回", "recalled"),
    "proposed": ("待审批", "proposed"),
    "approved": ("已批准", "approved"),
    "rejected": ("已驳回", "rejected"),
}


class DomainError(Exception):
    """A command broke a rule of the domain; nothing was recorded."""

    def __init__(self, code: str, **params: Any) -> None:
        if code not in MESSAGES:
            raise KeyError(f"no message for domain error code {code!r}")
        self.code = code
        self.params = params
        super().__init__(self.message())

    def message(self, locale: str = DEFAULT_LOCALE) -> str:
        zh, en = MESSAGES[self.code]
        template = en if locale.lower().startswith("en") else zh
        english = template is en
        return template.format(**{k: _show(v, english) for k, v in self.params.items()})


class NotFound(DomainError):
    def __init__(self, what: str, key: object) -> None:
        super().__init__("not_found", what=what, key=key)


class NotPermitted(DomainError):
    def __init__(self, actor: str, action: str, reason: str) -> None:
        super().__init__("not_permitted", actor=actor, action=action, reason=reason)


class WrongState(DomainError):
    def __init__(self, what: str, state: str, action: str) -> None:
        super().__init__("wrong_state", what=what, state=state, action=action)


class CalendarYearMissing(DomainError):
    def __init__(self, year: int) -> None:
        super().__init__("calendar_year_missing", year=year)
        self.year = year


class ConcurrentEdit(DomainError):
    """Raised when a form was filled in against a version that is no longer current."""


def term(key: str, locale: str = DEFAULT_LOCALE) -> str:
    """The user's word for a domain term (a state, a kind of thing, an action)."""
    zh, en = TERMS.get(key, (key, key))
    return en if locale.lower().startswith("en") else zh


def _show(value: Any, english: bool) -> str:
    if isinstance(value, (list, tuple, set, frozenset)):
        return (", " if english else "、").join(_show(v, english) for v in value)
    if isinstance(value, str) and value in TERMS:
        return TERMS[value][1 if english else 0]
    return str(value)
