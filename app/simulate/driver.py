"""Plays the simulated district through the real code paths, tick by tick on a `SimClock`.

People act through the emulator's phone side (signed, encrypted callbacks to the webhook: scans,
notes, job posts, card clicks) and the owners' phones (群发助手 confirmations, the emulator's
control path). Between their acts the driver runs what the relay's processes run — intake,
group-task rounds, the dispatcher, the deadline jobs — with the simulated time as `now`.
Nothing is written to the database except by that code.
"""

from __future__ import annotations

import logging
import random
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased

from app.db import session_scope
from app.demo.scenario import reply_text
from app.org.models import HAND_CHANNELS, ChatGroup, Staff
from app.outbound.clients import wecom_client
from app.simulate import calendar
from app.simulate.population import Village, certify_employers, job_post, seeker_note, villages_of
from relay import deadlines
from relay.customer_groups import run_round
from relay.dispatcher import Dispatcher, DispatcherConfig
from relay.intake import start_queued_items
from relay.models import Delivery, GroupTask, Hop
from relay.rules import DeadlinePolicy
from relay.worker import channels_for
from sandbox.emulator.routes_msg_template import confirm_task, pending_tasks
from vetting.membership import apply_group_joins

log = logging.getLogger(__name__)


@dataclass
class Behaviour:
    """How busy and how reliable the simulated people are (per day at a season factor of 1)."""

    scans_per_village: float = 0.6  # residents who scan their village's poster
    notes_per_village: float = 0.25  # seeker notes written to the Official Account
    jobs_per_employer: float = 0.04  # job posts
    steward_late: float = 0.15  # decisions made after the 30-minute promise
    steward_absent: float = 0.05  # cards nobody clicks (the timeout rule decides)
    steward_rejects: float = 0.05
    owner_forgets: float = 0.12  # customer-group sends never confirmed on the owner's phone
    relayer_forgets: float = 0.1  # manual groups' posts never pasted


@dataclass
class Tally:
    """What the simulated people did and what the emulator saw, to print and to check figures."""

    scans: int = 0
    notes: int = 0
    jobs: int = 0
    callbacks_failed: int = 0
    not_relayed: int = 0  # posts the bot answered without a code (held, refused, read as a question)
    decisions: int = 0
    late_decisions: int = 0
    rejections: int = 0
    cards_left: int = 0
    confirmed_tasks: int = 0
    forgotten_tasks: int = 0
    relayed_by_hand: int = 0
    forgotten_by_hand: int = 0
    days: list[date] = field(default_factory=list)


@dataclass
class _Intent:
    at: datetime | None  # None: never (the person forgot)
    late: bool = False


class Simulation:
    def __init__(self, env, org: dict, *, days: int, seed: int = 1, behaviour: Behaviour | None = None,
                 step_minutes: int = 15, residents_per_village: int | None = None) -> None:
        self.env, self.clock = env, env.clock
        self.rng = random.Random(seed)
        self.behaviour = behaviour or Behaviour()
        self.step = step_minutes
        self.timezone = env.settings.timezone
        self.days = calendar.days_ending_today(days, self.timezone)
        kwargs = {} if residents_per_village is None else {"residents_per_village": residents_per_village}
        self.villages: list[Village] = villages_of(org, **kwargs)
        # openid -> the phone registered for the employer: a post with another number is held for review
        self.employers = {e["openid"]: e.get("phone", "") for e in org["district"].get("employers", []) if e.get("openid")}
        self.tally = Tally()
        self.base = DeadlinePolicy(timezone=self.timezone)
        self._cards: dict[int, _Intent] = {}  # hop id -> when its steward clicks
        self._owner_tasks: dict[str, _Intent] = {}  # emulator msgid -> when its owner confirms
        self._manual: dict[int, _Intent] = {}  # group task id -> when its relayer taps 已转发

    # -- the whole period -------------------------------------------------------------------
    def run(self, on_day: Callable[[date, Tally], None] | None = None) -> Tally:
        sessions = self.env.session_factory
        self.clock.advance_to(calendar.local_moment(self.days[0], 0, 0, self.timezone))
        with sessions() as session:
            certify_employers(session, self.clock.now())
            session.commit()
            self.owners = sorted({g.owner_userid for g in session.scalars(
                select(ChatGroup).where(ChatGroup.kind == "customer", ChatGroup.owner_userid.is_not(None)))})
        channels = channels_for(self.env.settings, sessions)
        self.client = wecom_client(self.env.settings, sessions)  # one for the run: each new one builds a TLS context
        config = DispatcherConfig(journal_dir=str(self.env.workdir / "dispatch-journal"), idle_sleep=0.05,
                                  timezone=self.timezone)
        self.dispatcher = _TickDispatcher(session_factory=sessions, channels=channels, config=config, now=self.clock.now,
                                     rng=random.Random(self.rng.random()))
        try:
            for day in self.days:
                self._play_day(day)
                self.tally.days.append(day)
                if on_day is not None:
                    on_day(day, self.tally)
        finally:
            channels.close()
            self.client.close()
        return self.tally

    def _play_day(self, day: date) -> None:
        acts = sorted(self._plan_day(day), key=lambda a: a[0])
        for tick in calendar.ticks_of(day, self.timezone, self.step):
            self.clock.advance_to(tick)
            while acts and acts[0][0] <= tick:
                _, act = acts.pop(0)
                act()
            self._pump(tick)
            self._people_answer(tick)
            self._cron(day, tick)

    def _plan_day(self, day: date) -> list[tuple[datetime, Callable[[], None]]]:
        b, rng = self.behaviour, self.rng
        acts: list[tuple[datetime, Callable[[], None]]] = []

        def moment() -> datetime:  # people write between 07:30 and 21:00, most in the morning and evening
            hour = rng.choice((7, 8, 8, 9, 10, 11, 12, 13, 15, 17, 18, 19, 19, 20))
            return calendar.local_moment(day, hour, rng.randrange(60), self.timezone)

        seekers, hiring = calendar.seeker_factor(day), calendar.hiring_factor(day)
        for village in self.villages:
            for _ in range(_poisson(rng, b.scans_per_village * seekers)):
                if len(village.joined) < village.residents:
                    acts.append((moment(), lambda v=village: self._scan(v)))
            for _ in range(_poisson(rng, b.notes_per_village * seekers)):
                acts.append((moment(), lambda v=village: self._note(v)))
        for openid in self.employers:
            if rng.random() < b.jobs_per_employer * hiring:
                acts.append((moment(), lambda o=openid: self._job(o)))
        return acts

    # -- what people do through the phone ----------------------------------------------------
    def _scan(self, village: Village) -> None:
        openid = f"o_sim_res_{village.code.replace('-', '_')}_{len(village.joined) + 1:04d}"
        if self._ok(self.env.phone.oa_subscribe(openid, scene=village.code)):
            village.joined.append(openid)
            self.tally.scans += 1
        worker = getattr(self.env.app.state, "join_worker", None)
        if worker is not None:  # the join QR goes out within the scan's one-minute window, as live
            worker.drain()

    def _note(self, village: Village) -> None:
        if not village.joined:
            return  # nobody of this village follows the Official Account yet
        openid = self.rng.choice(village.joined)
        self._post(self.env.phone.oa_text(openid, seeker_note(self.rng, village)), "S")

    def _job(self, openid: str) -> None:
        village = self.rng.choice(self.villages)
        self._post(self.env.phone.oa_text(openid, job_post(self.rng, f"{village.township}{village.name}", self.employers[openid])), "J")

    def _post(self, result, letter: str) -> None:
        """Counted when the bot's reply gives the post its code (S12, J7); other replies (a held or
        refused post, a post taken for a question) are counted apart with what the bot said."""
        if not self._ok(result):
            return
        reply = reply_text(result)
        if re.search(rf"{letter}\d+", reply):
            if letter == "S":
                self.tally.notes += 1
            else:
                self.tally.jobs += 1
        else:
            self.tally.not_relayed += 1
            log.info("a simulated post was not given a code: %s", reply)

    def _ok(self, result) -> bool:
        if not result.ok:
            self.tally.callbacks_failed += 1
            log.warning("a simulated callback failed: HTTP %s %s", result.status, result.errors)
        return bool(result.ok)

    # -- the relay's processes, at the simulated time ------------------------------------------
    def _pump(self, now: datetime) -> None:
        sessions = self.env.session_factory
        while start_queued_items(session_factory=sessions, now=now, base=self.base):
            pass
        apply_group_joins(session_factory=sessions, client=self.client, now=now)
        run_round(session_factory=sessions, client=self.client, now=now, base=self.base)
        self._dispatch()
        touched = sum(job(session_factory=sessions, now=now, base=self.base) for job in
                      (deadlines.send_reminders, deadlines.escalate_overdue, deadlines.apply_timeouts))
        if touched:
            run_round(session_factory=sessions, client=self.client, now=now, base=self.base)
            self._dispatch()

    def _dispatch(self) -> None:
        """The dispatcher until nothing is due. Rows it must wait for at this frozen instant (a
        robot's per-minute limit, a retry) are left for the next tick, when time has moved on."""
        if self.dispatcher.nothing_due():
            return  # most ticks: no thread pool, no journal, no recovery pass
        stop = threading.Event()
        guard = threading.Timer(10.0, stop.set)  # a safety net only: _TickDispatcher stops by itself
        guard.start()
        try:
            self.dispatcher.run(until_idle=True, stop=stop)
        finally:
            guard.cancel()
        if stop.is_set():
            log.warning("the dispatcher was still busy after 10 s at %s; the rest waits for the next tick",
                        self.clock.now())

    def _cron(self, day: date, tick: datetime) -> None:
        sessions = self.env.session_factory
        if tick == calendar.local_moment(day, 8, 0, self.timezone):
            deadlines.daily_digest(session_factory=sessions, now=tick)
            self._dispatch()
        if tick == calendar.local_moment(day, 20, 30, self.timezone):
            deadlines.village_cutoff_sweep(session_factory=sessions, now=tick)
            self._dispatch()

    # -- stewards, owners and relayers answering ----------------------------------------------
    def _people_answer(self, now: datetime) -> None:
        self._stewards_click(now)
        self._owners_confirm(now)
        self._relayers_paste(now)

    def _stewards_click(self, now: datetime) -> None:
        b, rng = self.behaviour, self.rng
        with self.env.session_factory() as session:
            hops = session.scalars(select(Hop).where(Hop.status == "pending", Hop.card_task_id.is_not(None))).all()
            waiting = [(h.id, h.card_task_id, h.arrived_at, h.to_node_id) for h in hops]
            stewards = {s.node_id: s.userid for s in session.scalars(
                select(Staff).where(Staff.role == "township_steward", Staff.active.is_(True)))}
        for hop_id, task_id, arrived, node_id in waiting:
            intent = self._cards.get(hop_id)
            if intent is None:
                intent = self._cards[hop_id] = self._steward_intent(arrived, now)
                if intent.at is None:
                    self.tally.cards_left += 1
            if intent.at is None or intent.at > now or node_id not in stewards:
                continue
            action = "reject" if rng.random() < b.steward_rejects else "approve"
            try:
                result = self.env.phone.card_click(stewards[node_id], task_id, f"{action}:{hop_id}")
            except Exception:  # the card is closed already (the timeout rule decided): nothing to click
                intent.at = None
                continue
            intent.at = None
            if self._ok(result):
                self.tally.decisions += 1
                self.tally.late_decisions += intent.late
                self.tally.rejections += action == "reject"

    def _steward_intent(self, arrived: datetime, now: datetime) -> _Intent:
        b, rng = self.behaviour, self.rng
        roll = rng.random()
        if roll < b.steward_absent:
            return _Intent(None)
        weekend = now.astimezone(ZoneInfo(self.timezone)).weekday() >= 5
        if roll < b.steward_absent + b.steward_late * (2 if weekend else 1):
            return _Intent(arrived + timedelta(minutes=rng.randint(32, 150)), late=True)
        return _Intent(arrived + timedelta(minutes=rng.randint(2, 25)))

    def _owners_confirm(self, now: datetime) -> None:
        state = self.env.emulator.state
        for owner in self.owners:
            for task in pending_tasks(state, owner):
                intent = self._owner_tasks.get(task["msgid"])
                if intent is None:
                    forgets = self.rng.random() < self.behaviour.owner_forgets
                    intent = self._owner_tasks[task["msgid"]] = _Intent(
                        None if forgets else now + timedelta(minutes=self.rng.randint(5, 240)))
                    self.tally.forgotten_tasks += forgets
                if intent.at is not None and intent.at <= now:
                    confirm_task(state, owner, task["msgid"])  # the owner taps 发送 in 群发助手
                    intent.at = None
                    self.tally.confirmed_tasks += 1

    def _relayers_paste(self, now: datetime) -> None:
        with self.env.session_factory() as session:
            tasks = session.scalars(select(GroupTask).where(GroupTask.kind == "manual", GroupTask.status == "pending",
                                                            GroupTask.card_task_id.is_not(None))).all()
            waiting = [(t.id, t.sender, t.card_task_id) for t in tasks]
        for task_id, sender, card_task_id in waiting:
            intent = self._manual.get(task_id)
            if intent is None:
                forgets = self.rng.random() < self.behaviour.relayer_forgets
                intent = self._manual[task_id] = _Intent(None if forgets else now + timedelta(minutes=self.rng.randint(5, 180)))
                self.tally.forgotten_by_hand += forgets
            if intent.at is None or intent.at > now:
                continue
            intent.at = None
            try:
                result = self.env.phone.card_click(sender, card_task_id, f"relayed:{task_id}")
            except Exception:  # the card is not on the relayer's phone (closed): nothing to tap
                continue
            self.tally.relayed_by_hand += self._ok(result)


class _TickDispatcher(Dispatcher):
    """The real dispatcher, idle as soon as nothing is due at this simulated instant.

    The live one keeps running while a retry or a robot's next minute is a few minutes away,
    because wall time will bring it; at a frozen simulated instant that would never come, so
    those rows wait for the next tick instead."""

    def _idle(self) -> bool:
        with self._lock:
            if self._inflight or self._pending:
                return False
        return self.nothing_due()

    def nothing_due(self) -> bool:
        now = self._now()
        earlier = aliased(Delivery)
        # As in dispatch_store.claim: a row behind an earlier open one for its target waits for it.
        blocked = exists().where(earlier.channel == Delivery.channel, earlier.target == Delivery.target,
                                 earlier.id < Delivery.id, earlier.status.in_(("queued", "sending")))
        with session_scope(self.sessions) as session:  # rows of ours on the wire are counted above
            return not session.scalar(select(func.count()).select_from(Delivery).where(
                Delivery.status == "queued", Delivery.not_before <= now, Delivery.next_attempt_at <= now,
                Delivery.channel.not_in(HAND_CHANNELS), ~blocked))


def _poisson(rng: random.Random, mean: float) -> int:
    """How many events of a rate `mean` happen (Knuth's method; means here are small)."""
    import math

    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
