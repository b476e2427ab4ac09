"""Demo data: the stories of the source document, dated relative to ``now``.

Users (password = login): ``admin`` uid 2 (Mitchell Admin, administrator), ``demo`` uid 6
(Marc Demo, salesperson), ``manager`` uid 7 (Sales Manager, leader of team "Sales"),
``planner`` uid 8 (Production Planner), ``logistics`` uid 9 (Logistics Clerk), ``director``
uid 10 (Sales Director, leader of team "Key Accounts"; the manager's manager). OdooBot uid 1
cannot log in. Partner categories "VIP" and "Regular"; crm tags "Rush", "加急", "Export".

Stories (sale order names in creation order; ids equal the number, S00001 = id 1):

1. **S00001 — line stop** (Huadong Packaging 华东包装): "Our line is down / 生产线紧急停机",
   received 30 min ago, delivery promised in 20 h, still a quotation, tagged 加急. Its MO
   WH/MO/00001 (shared procurement group) starts in 3 days and its delivery WH/OUT/00001 is
   scheduled 2 days out — both after the promise. Plugin: tier *urgent* (2 h deadline), MO
   and picking priority Urgent, pull the MO start and the delivery earlier, alert the
   salesperson (demo), the planner and logistics.
2. **S00002 — material shortage** (Shenzhen Precision 深圳精密): "原料紧急缺货 raw material
   shortage", 10 hydraulic pumps ordered but only 2 on hand; received 1 h ago, delivery in
   2 days. Plugin: *urgent* (stated cause + short lead time); stock-shortfall alert to the
   planner.
3. **S00003 — big VIP order** (Global Motors 环球汽车, category VIP): 50 steel cabinets =
   120,000.00, delivery in 10 days, received 3 h ago, team Key Accounts. Plugin: *special*
   (must-take: big order and important customer, 12 h deadline), not urgent by lead time.
4. **S00004, S00005, S00006 — ordinary orders**: deliveries in 14 days, 30 days, and none;
   S00006 is already confirmed (state sale) with its delivery WH/OUT/00002. Plugin: *normal*
   (24 h); S00006 is processed, nothing to do.
5. **S00007 — forgotten quotation** (Lakeside Foods 湖畔食品): ordinary, received 30 h ago,
   still draft. Plugin: *normal*, its 24 h processing deadline has passed → escalate to
   the team leader (manager) with an activity.
6. **S00008 — too late to make** (Northwind Robotics 北风机器人): delivery in 10 h, its MO
   WH/MO/00002 needs 16 h (starts in 1 h) and its delivery WH/OUT/00003 is in 18 h.
   Plugin: *urgent*, infeasible even if started now → alert salesperson and planner
   ("cannot be made in time"), report to leadership.
7. **S00009 — cancelled** (Azure Interior): state cancel. Plugin: leave it alone.
8. **Materials of S00001** (:mod:`sandbox.demo_materials`): WH/MO/00001's MCU chips are on purchase order
   P00001, due after the MO must start; its cables are short with nothing on order.
9. **One line, three orders** (Odoo's demo work center "Assembly Line 1", calendar "Standard 40 hours/week",
   Europe/Brussels): the two urgent MOs above each have one work order on that line — WH/MO/00001 (8 h of work,
   planned in 3 days) and WH/MO/00002 (16 h, planned to start in 1 h, i.e. partly at night) — and the ordinary
   order S00004 has WH/MO/00003 (8 h) planned on the line from the next working morning. The capacity planner
   must put the urgent work first, push the ordinary MO later only within its own slack, and say how much
   overtime would still be needed.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from . import demo_materials, links, odoo19
from .orm import Env, format_datetime


def load(env: Env, now: datetime | None = None) -> dict[str, Any]:
    """Create the demo records (one transaction); returns the ids worth knowing."""
    with env.transaction():
        return _load(env, now or env.now())


def _load(env: Env, now: datetime) -> dict[str, Any]:
    if now.tzinfo is not None:
        now = now.astimezone(UTC).replace(tzinfo=None)

    def at(**delta: float) -> str:
        return format_datetime(now + timedelta(**delta))

    def create(model: str, vals: dict[str, Any]) -> int:
        rid = env.model(model, 2).create(vals)
        assert isinstance(rid, int)
        return rid

    ids: dict[str, Any] = {"users": {}, "orders": {}}
    # people ----------------------------------------------------------------------------
    for login, name, groups in (
        ("manager", "Sales Manager", [1, 3, 4]),
        ("planner", "Production Planner", [1, 5, 6]),
        ("logistics", "Logistics Clerk", [1, 6]),
        ("director", "Sales Director", [1, 3, 4]),
    ):
        uid = create("res.users", {"name": name, "login": login, "groups_id": [(6, 0, groups)], "tz": "Asia/Shanghai"})
        env.store.touch("res.users", uid)["password"] = login
        ids["users"][login] = uid
    users = ids["users"]
    env.model("crm.team", 2).write([1], {"user_id": users["manager"], "member_ids": [(6, 0, [2, 6, users["manager"]])]})
    key_accounts = create(
        "crm.team", {"name": "Key Accounts", "user_id": users["director"], "member_ids": [(6, 0, [6])]}
    )
    vip = create("res.partner.category", {"name": "VIP"})
    regular = create("res.partner.category", {"name": "Regular"})
    rush = create("crm.tag", {"name": "Rush", "color": 1})
    jiaji = create("crm.tag", {"name": "加急", "color": 1})
    create("crm.tag", {"name": "Export", "color": 4})

    def partner(name: str, category: int, **extra: Any) -> int:
        vals = {"name": name, "is_company": True, "category_id": [(6, 0, [category])], **extra}
        return create("res.partner", odoo19.strip_gone("res.partner", vals, env.odoo_version))

    huadong = partner("Huadong Packaging Co. 华东包装有限公司", regular, city="Shanghai")
    shenzhen = partner("Shenzhen Precision Parts 深圳精密零件", regular, city="Shenzhen")
    motors = partner("Global Motors Ltd. 环球汽车", vip, city="Guangzhou", user_id=6, team_id=key_accounts)
    deco = partner("Deco Addict", regular)
    ready = partner("Ready Mat", regular)
    wood = partner("Wood Corner", regular)
    lakeside = partner("Lakeside Foods 湖畔食品", regular)
    northwind = partner("Northwind Robotics 北风机器人", regular)
    azure = partner("Azure Interior", regular)
    create("res.partner", {"name": "Li Wei 李伟", "parent_id": huadong, "email": "li.wei@huadong.example.com"})

    # products ----------------------------------------------------------------------------
    def product(code: str, name: str, price: float, on_hand: float, forecast: float, lead: int) -> int:
        return create(
            "product.product",
            {
                "default_code": code,
                "name": name,
                "lst_price": price,
                "qty_available": on_hand,
                "virtual_available": forecast,
                "sale_delay": lead,
                **odoo19.storable(env.odoo_version),
            },
        )

    desk = product("FURN_7800", "Desk Combination", 450.0, 40.0, 35.0, 7)
    pump = product("PUMP-01", "Hydraulic Pump 液压泵", 1200.0, 2.0, 2.0, 3)
    valve = product("VALVE-02", "Control Valve 控制阀", 85.0, 500.0, 480.0, 2)
    bearing = product("BRG-6204", "Bearing 6204 轴承", 12.0, 5000.0, 4800.0, 1)
    board = product("PCB-CTRL", "Controller Board 控制板", 600.0, 0.0, 0.0, 5)
    cabinet = product("CAB-9", "Steel Cabinet 钢柜", 2400.0, 10.0, 10.0, 10)

    # orders ------------------------------------------------------------------------------
    def order(key: str, partner_id: int, received: str, lines: list[tuple[int, float]], **extra: Any) -> int:
        vals: dict[str, Any] = {
            "partner_id": partner_id,
            "user_id": 6,
            "team_id": 1,
            "create_date": received,
            "date_order": received,
            "order_line": [(0, 0, {"product_id": p, "product_uom_qty": q}) for p, q in lines],
        }
        vals.update(extra)
        oid = create("sale.order", vals)
        ids["orders"][key] = oid
        return oid

    def group_for(oid: int) -> int:
        name = env.store.table("sale.order")[oid]["name"]
        gid = create(links.link_model(env),
                     links.new_link_vals(env, name, oid, env.store.table("sale.order")[oid]["partner_id"]))
        received = env.store.table("sale.order")[oid]["create_date"]
        env.model("sale.order", 2).write([oid], {**links.vals(env, "sale.order", gid), "write_date": received})
        return gid

    # 1. line stop
    s1 = order(
        "line_stop",
        huadong,
        at(minutes=-30),
        [(board, 4)],
        commitment_date=at(hours=20),
        client_order_ref="Our line is down / 生产线紧急停机",
        note="<p>Customer's production line stopped — 生产线紧急停机. Need 4 controller boards.</p>",
        tag_ids=[(6, 0, [jiaji])],
    )
    g1 = group_for(s1)
    create(
        "mrp.production",
        {
            "product_id": board,
            "product_qty": 4.0,
            "origin": "S00001",
            **links.vals(env, "mrp.production", g1),
            "date_start": at(days=3),
            "date_finished": at(days=3, hours=8),
            "state": "confirmed",
            "user_id": users["planner"],
            "create_date": at(minutes=-25),
        },
    )
    create(
        "stock.picking",
        {
            "picking_type_code": "outgoing",
            "origin": "S00001",
            "sale_id": s1,
            **links.vals(env, "stock.picking", g1),
            "partner_id": huadong,
            "scheduled_date": at(days=2),
            "date_deadline": at(hours=20),
            "state": "waiting",
            "user_id": users["logistics"],
            "create_date": at(minutes=-25),
        },
    )
    # 2. material shortage
    order(
        "shortage",
        shenzhen,
        at(hours=-1),
        [(pump, 10)],
        commitment_date=at(days=2),
        note="<p>原料紧急缺货 raw material shortage at the customer — please expedite.</p>",
    )
    # 3. big VIP order
    order("big_vip", motors, at(hours=-3), [(cabinet, 50)], commitment_date=at(days=10), team_id=key_accounts)
    # 4. ordinary orders
    order("ordinary_14d", deco, at(hours=-2), [(bearing, 20), (valve, 5)], commitment_date=at(days=14))
    order("ordinary_30d", ready, at(hours=-5), [(desk, 2)], commitment_date=at(days=30), user_id=2)
    s6 = order("ordinary_confirmed", wood, at(days=-2), [(valve, 12)], state="sale", date_order=at(days=-1))
    g6 = group_for(s6)
    create(
        "stock.picking",
        {
            "picking_type_code": "outgoing",
            "origin": "S00006",
            "sale_id": s6,
            **links.vals(env, "stock.picking", g6),
            "partner_id": wood,
            "scheduled_date": at(days=5),
            "state": "assigned",
            "create_date": at(days=-1),
        },
    )
    # 5. forgotten quotation
    order("forgotten", lakeside, at(hours=-30), [(valve, 10)], commitment_date=at(days=20))
    # 6. too late to make
    s8 = order(
        "too_late",
        northwind,
        at(minutes=-20),
        [(board, 8)],
        commitment_date=at(hours=10),
        client_order_ref="URGENT: assembly line waiting / 装配线等料",
        tag_ids=[(6, 0, [rush])],
    )
    g8 = group_for(s8)
    create(
        "mrp.production",
        {
            "product_id": board,
            "product_qty": 8.0,
            "origin": "S00008",
            **links.vals(env, "mrp.production", g8),
            "date_start": at(hours=1),
            "date_finished": at(hours=17),
            "state": "confirmed",
            "user_id": users["planner"],
            "create_date": at(minutes=-15),
        },
    )
    create(
        "stock.picking",
        {
            "picking_type_code": "outgoing",
            "origin": "S00008",
            "sale_id": s8,
            **links.vals(env, "stock.picking", g8),
            "partner_id": northwind,
            "scheduled_date": at(hours=18),
            "date_deadline": at(hours=10),
            "state": "waiting",
            "user_id": users["logistics"],
            "create_date": at(minutes=-15),
        },
    )
    # 7. cancelled
    order("cancelled", azure, at(days=-4), [(desk, 1)], state="cancel")
    # 8. materials of the line stop (last, so the ids above never move)
    ids["materials"] = demo_materials.load(env, at, ids, create)
    # 9. one line, three orders
    ids["workcenters"] = _work_centers(env, create)
    _line_story(env, create, now, ids, valve)
    return ids


def _work_centers(env: Env, create: Any) -> dict[str, int]:
    """Odoo's mrp demo work centers, all on the company's "Standard 40 hours/week" calendar."""
    return {name: create("mrp.workcenter", {"name": name, "resource_calendar_id": 1, "sequence": seq})
            for seq, name in enumerate(("Assembly Line 1", "Drill Station 1", "Assembly Line 2"), start=1)}


def _next_morning(now: datetime) -> datetime:
    """08:00 in Brussels on the next working day after ``now`` (naive UTC in, naive UTC out)."""
    tz = ZoneInfo("Europe/Brussels")
    day = now.replace(tzinfo=UTC).astimezone(tz).date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(8, 0), tzinfo=tz).astimezone(UTC).replace(tzinfo=None)


def _line_story(env: Env, create: Any, now: datetime, ids: dict[str, Any], valve: int) -> None:
    line = ids["workcenters"]["Assembly Line 1"]
    mos = {row["origin"]: row for row in env.store.table("mrp.production").values()}
    for origin, minutes in (("S00001", 480.0), ("S00008", 960.0)):
        mo = mos[origin]
        create("mrp.workorder", {"name": "Assembly", "production_id": mo["id"], "workcenter_id": line,
                                 "state": "ready", "duration_expected": minutes, "date_start": mo["date_start"],
                                 "date_finished": mo["date_finished"]})
    start = _next_morning(now)
    finish = start + timedelta(hours=9)  # 8 working hours around the lunch break
    s4 = ids["orders"]["ordinary_14d"]
    normal = create("mrp.production", {
        "product_id": valve, "product_qty": 5.0, "origin": "S00004", "state": "confirmed",
        "date_start": format_datetime(start), "date_finished": format_datetime(finish),
        "user_id": ids["users"]["planner"],
        **links.vals(env, "mrp.production", create(links.link_model(env), links.new_link_vals(env, "S00004", s4))),
    })
    create("mrp.workorder", {"name": "Assembly", "production_id": normal, "workcenter_id": line, "state": "ready",
                             "duration_expected": 480.0, "date_start": format_datetime(start),
                             "date_finished": format_datetime(finish)})
