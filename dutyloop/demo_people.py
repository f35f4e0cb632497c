"""The demo's people: who holds which role where, and the Chinese names they are given."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from uuid import UUID

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱覃武戴孔汤庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍申尤毕聂柴焦向柳邢岳齐梅莫庄辛管祝左涂谷祁时舒耿牟卜路詹关苗凌费纪靳盛童欧甄项曲成游阳裴席卫查屈鲍位覃霍翁隋植甘景薄单包司柏宁柯阮桂闵欧阳解强丛华车冉房边辜吉饶刁瞿戚丘古米池滕晋苑邬臧畅宫来嵺苟全褚廉简娄盖符奚木穆党燕郎邸冀谈姬屠连郜晏栾郁商蒙计喻揭窦迟宇敖糜鄢冷卓花艾蓝都巩稽井练仲乐虞卞封竺冼原官衣楚佟栗匡宗应台巫鞠僧桑荆谌银扬明沙薄伏岑习胥保和蔺"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉宁建国志强海燕晓东文博雪梅晨曦宇航思远佳怡子涵浩然欣怡俊杰婷婷瑞雪家豪梓萱一鸣雨泽"


@dataclass
class DemoPeople:
    admin: UUID
    committee_secretary: UUID
    team_members: list[UUID]
    party_dept: list[UUID]
    discipline: UUID
    flexible: list[UUID]
    secretaries: dict[UUID, UUID] = field(default_factory=dict)
    workers: dict[UUID, UUID] = field(default_factory=dict)
    field_of: dict[UUID, UUID] = field(default_factory=dict)


def name_maker(rng: random.Random) -> Callable[[], str]:
    used: set[str] = set()

    def make() -> str:
        while True:
            name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
            if name not in used:
                used.add(name)
                return name

    return make
