"""The closed sets of words the domain uses: kinds, roles, levels. Values are stored in events
as plain strings, so the record stays readable without this code."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from domain.errors import DomainError

E = TypeVar("E", bound=StrEnum)


class OrgKind(StrEnum):
    COMMITTEE = "committee"  # 公司党委
    BRANCH = "branch"  # 党支部
    TEMPORARY_BRANCH = "temporary_branch"  # 临时党支部


class Role(StrEnum):
    COMMITTEE_SECRETARY = "committee_secretary"  # 党委书记, 第一责任人
    TEAM_MEMBER = "team_member"  # 班子成员, 一岗双责
    PARTY_DEPT = "party_dept"  # 党建部
    BRANCH_SECRETARY = "branch_secretary"  # 支部书记
    PARTY_WORKER = "party_worker"  # 党务工作者
    FLEXIBLE_TEAM = "flexible_team"  # 柔性团队成员, with a 责任田
    DISCIPLINE = "discipline"  # 纪检
    ADMIN = "admin"  # 系统管理员


class MeetingKind(StrEnum):
    WORK_GROUP = "work_group"  # 党建工作小组例会, quarterly
    SECRETARIES = "secretaries"  # 党组织书记例会, quarterly
    PARTY_WORKERS = "party_workers"  # 党务工作者例会, every two months
    OTHER = "other"


class InspectionKind(StrEnum):
    CENTRALISED = "centralised"  # 集中检查
    RANDOM = "random"  # 随机检查
    SELF_CHECK = "self_check"  # 专项自查


class ReportCycle(StrEnum):
    NONE = "none"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class ReminderLevel(StrEnum):
    DUE_SOON = "due_soon"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    SERIOUSLY_OVERDUE = "seriously_overdue"
    ESCALATED = "escalated"
    PROGRESS_REPORT_LATE = "progress_report_late"
    MEETING_DUE = "meeting_due"


LABELS: dict[str, tuple[str, str]] = {
    OrgKind.COMMITTEE: ("公司党委", "company committee"),
    OrgKind.BRANCH: ("党支部", "branch"),
    OrgKind.TEMPORARY_BRANCH: ("临时党支部", "temporary branch"),
    Role.COMMITTEE_SECRETARY: ("党委书记", "committee secretary"),
    Role.TEAM_MEMBER: ("班子成员", "team member"),
    Role.PARTY_DEPT: ("党建部", "party-building department"),
    Role.BRANCH_SECRETARY: ("支部书记", "branch secretary"),
    Role.PARTY_WORKER: ("党务工作者", "party-affairs worker"),
    Role.FLEXIBLE_TEAM: ("柔性团队成员", "flexible-team member"),
    Role.DISCIPLINE: ("纪检", "discipline inspection"),
    Role.ADMIN: ("系统管理员", "administrator"),
    MeetingKind.WORK_GROUP: ("党建工作小组例会", "Party-building work group meeting"),
    MeetingKind.SECRETARIES: ("党组织书记例会", "secretaries' meeting"),
    MeetingKind.PARTY_WORKERS: ("党务工作者例会", "party-affairs workers' meeting"),
    MeetingKind.OTHER: ("其他会议", "other meeting"),
    InspectionKind.CENTRALISED: ("集中检查", "centralised inspection"),
    InspectionKind.RANDOM: ("随机检查", "random inspection"),
    InspectionKind.SELF_CHECK: ("专项自查", "special self-check"),
    ReportCycle.NONE: ("无", "none"),
    ReportCycle.WEEKLY: ("每周", "weekly"),
    ReportCycle.MONTHLY: ("每月", "monthly"),
    ReminderLevel.DUE_SOON: ("即将到期", "due soon"),
    ReminderLevel.DUE_TODAY: ("今日到期", "due today"),
    ReminderLevel.OVERDUE: ("已逾期", "overdue"),
    ReminderLevel.SERIOUSLY_OVERDUE: ("严重逾期", "seriously overdue"),
    ReminderLevel.ESCALATED: ("逾期升级", "escalated"),
    ReminderLevel.PROGRESS_REPORT_LATE: ("进展填报逾期", "progress report late"),
    ReminderLevel.MEETING_DUE: ("例会待召开", "meeting due"),
}


EVENT_LABELS: dict[str, tuple[str, str]] = {
    "OrganisationRegistered": ("登记组织", "organisation registered"),
    "OrganisationRenamed": ("组织更名", "organisation renamed"),
    "OrganisationDissolved": ("撤销组织", "organisation dissolved"),
    "PersonRegistered": ("登记人员", "person registered"),
    "RoleAssigned": ("分配角色", "role assigned"),
    "RoleRevoked": ("撤销角色", "role revoked"),
    "LiaisonPointLinked": ("建立联系点", "liaison point linked"),
    "ContactUpdated": ("更新联系方式", "contact updated"),
    "PersonRenamed": ("人员更名", "person renamed"),
    "PersonMoved": ("人员调离", "person moved"),
    "PersonLeft": ("人员离职", "person left"),
    "FilterSaved": ("保存筛选", "filter saved"),
    "FilterDeleted": ("删除筛选", "filter deleted"),
    "ResponsibilityListDrafted": ("制定责任清单", "responsibility list drafted"),
    "ResponsibilityAspectAdded": ("增加责任方面", "aspect added"),
    "ResponsibilityItemAdded": ("增加清单事项", "item added"),
    "HolidayCalendarStarted": ("启用节假日安排", "holiday calendar started"),
    "HolidayScheduleLoaded": ("导入节假日安排", "holiday schedule loaded"),
    "WarningThresholdsSet": ("设置预警阈值", "warning thresholds set"),
    "WarningThresholdsChanged": ("调整预警阈值", "warning thresholds changed"),
    "BackEntryLimitSet": ("设置补录期限", "back-entry limit set"),
    "MeetingPlanned": ("安排会议", "meeting planned"),
    "MeetingMinutesRecorded": ("记录会议纪要", "minutes recorded"),
    "TaskIssued": ("下达任务", "task issued"),
    "TaskSignedFor": ("签收任务", "task signed for"),
    "TaskProgressReported": ("报送进展", "progress reported"),
    "TaskReportedDone": ("报送完成", "reported done"),
    "TaskAccepted": ("验收通过", "accepted"),
    "TaskReturned": ("退回任务", "returned"),
    "TaskDeadlineExtensionRequested": ("申请延期", "extension requested"),
    "TaskDeadlineExtended": ("批准延期", "deadline extended"),
    "TaskDeadlineExtensionRefused": ("拒绝延期", "extension refused"),
    "TaskCancelled": ("撤销任务", "task cancelled"),
    "TaskBrokenDown": ("分解任务", "task broken down"),
    "TaskFollowed": ("关注任务", "task followed"),
    "TaskHandedOver": ("交接任务", "task handed over"),
    "TaskFollowingHandedOver": ("交接关注", "following handed over"),
    "TaskReviewHandedOver": ("交接验收", "review handed over"),
    "TaskUnfollowed": ("取消关注", "task unfollowed"),
    "TaskUrged": ("催办任务", "task urged"),
    "TaskCommented": ("任务留言", "task commented"),
    "TaskReassigned": ("转办任务", "task reassigned"),
    "InspectionConducted": ("开展检查", "inspection conducted"),
    "FindingRaised": ("反馈问题", "finding raised"),
    "WorkPromptSent": ("发送工作提示", "work prompt sent"),
    "InterviewScheduled": ("安排约谈", "interview scheduled"),
    "InterviewHeld": ("进行约谈", "interview held"),
    "RectificationOpened": ("启动整改", "rectification opened"),
    "RectificationPlanSubmitted": ("提交整改方案", "plan submitted"),
    "RectificationProgressNoted": ("记录整改进展", "progress noted"),
    "RectificationCompletionReported": ("报送整改完成", "completion reported"),
    "RectificationVerified": ("整改验收", "verified"),
    "RectificationReturned": ("整改退回", "rectification returned"),
    "RectificationClosed": ("整改销号", "closed"),
    "RectificationHandedOver": ("交接整改", "rectification handed over"),
    "RectificationCheckHandedOver": ("交接整改验收", "verification handed over"),
    "RectificationUrged": ("催办整改", "rectification urged"),
    "RectificationCommented": ("整改留言", "rectification commented"),
    "ReminderRecorded": ("提醒", "reminder"),
    "MonthlyBulletinIssued": ("发布月度通报", "monthly bulletin issued"),
    "ScoringRulesSet": ("制定积分规则", "scoring rules set"),
    "ScoringRulesChanged": ("修订积分规则", "scoring rules changed"),
    "ReviewReportFiled": ("提交述职报告", "review report filed"),
    "ReviewGraded": ("述职评议打分", "review graded"),
    "ReviewPublished": ("发布评议结果", "review published"),
    "ReviewRecalled": ("撤回评议结果", "review recalled"),
    "ReviewCorrected": ("更正评议结果", "review corrected"),
    "ModelBranchAwarded": ("认定标杆", "model branch awarded"),
    "PartyPlusProjectRecognised": ("认定“党建+”项目", "\"党建+\" project recognised"),
    "ServiceTeamActivityRecorded": ("记录服务队活动", "service-team activity recorded"),
    "PointsAdjustmentProposed": ("提出积分调整", "points adjustment proposed"),
    "PointsAdjustmentApproved": ("批准积分调整", "points adjustment approved"),
    "PointsAdjustmentRejected": ("驳回积分调整", "points adjustment rejected"),
    "AssessmentYearOpened": ("启动年度考核", "assessment year opened"),
    "AssessmentWeightsSet": ("设置考核权重", "assessment weights set"),
    "SatisfactionSurveyScored": ("录入满意度测评", "satisfaction survey scored"),
    "AssessmentPublished": ("发布年度考核结果", "annual assessment published"),
}
LABELS.update(EVENT_LABELS)

SYSTEM_LABELS: dict[str, tuple[str, str]] = {
    # the views an administrator sees on the audit page and in ``status``
    "tasks": ("任务视图", "tasks"), "chains": ("整改链视图", "chains"), "trail": ("履责记录视图", "trail"),
    "reminders": ("提醒视图", "reminders"), "calendar": ("节假日视图", "calendar"), "points": ("积分视图", "points"),
    "reviews": ("述职评议视图", "reviews"), "directory": ("组织人员视图", "directory"), "search": ("全文检索视图", "search"),
    "notifier": ("通知发送", "notifier"),
    # what became of a notification, and where it went
    "queued": ("待发送", "queued"), "sending": ("发送中", "sending"), "sent": ("已发送", "sent"),
    "failed": ("发送失败", "failed"), "given_up": ("已放弃", "given up"),
    "email": ("电子邮件", "email"), "wecom": ("企业微信", "WeCom"), "dingtalk": ("钉钉", "DingTalk"), "feishu": ("飞书", "Feishu"),
    "inbox": ("站内消息", "inbox"),
    # who acted when no person did
    "system:init": ("系统初始化", "system set-up"), "system:scheduler": ("系统定时提醒", "the scheduler"),
    "system:demo": ("演示数据", "demo data"), "system:directory": ("公司目录", "the company directory"),
}
LABELS.update(SYSTEM_LABELS)


def days_left(days: int | None, locale: str = "zh-CN") -> str:
    """Working days to a deadline; past it, how many it is overdue (逾期113个工作日, never "-113")."""
    if days is None:
        return ""
    if days >= 0:
        return str(days)
    return f"{-days} working days overdue" if locale.lower().startswith("en") else f"逾期{-days}个工作日"


def deadline_rule(rule: str, locale: str = "zh-CN") -> str:
    """How a deadline was asked for, as recorded ("10 working days" or "date"), in words."""
    english = locale.lower().startswith("en")
    count = rule.split(" ", 1)[0]
    if rule.endswith(" working days") and count.isdigit():
        return f"{count} working days" if english else f"{count}个工作日"
    return "a date" if english else "指定日期"


def label(value: str, locale: str = "zh-CN") -> str:
    zh, en = LABELS.get(value, (value, value))
    return en if locale.lower().startswith("en") else zh


def parse(enum: type[E], value: str, field: str) -> E:
    """Accept the stored value or the Chinese label, so users can type what they see."""
    for member in enum:
        if value in (member.value, member.name.lower(), LABELS.get(member, ("",))[0]):
            return member
    allowed = [f"{m.value}({LABELS.get(m, (m.value,))[0]})" for m in enum]
    raise DomainError("invalid_value", field=field, value=value, allowed=allowed)
