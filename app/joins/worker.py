"""Sends owed join QRs and re-reads changed customer groups, off the webhook's request path.

The webhook answers at once (its passive reply is the welcome); the callback's handler leaves a
row, and `notice()` wakes this worker once the row is committed. Rows survive a restart: the next
wake-up (or `drain()`) finds them. Nothing here runs until the first scan or group change.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

import httpx
from sqlalchemy.orm import Session, sessionmaker

from app.joins import flows, service
from app.joins.flows import JoinClients, JoinFailed
from app.joins.models import CustomerGroupSync
from app.outbound.clients import mp_client, wecom_client
from app.settings import Settings
from bots.client import PermanentApiError, TransientApiError
from bots.inbound import CHANNEL_MP, CHANNEL_WECOM, Inbound

log = logging.getLogger("jobmatrix.joins")
# A transient failure is tried again this soon: the scan's customer-service window lasts a minute.
RETRY_SECONDS = 5.0


def concerns_joins(inbound: Inbound) -> bool:
    """A scan of a parametric code, or a customer-group change: work for this worker may be waiting."""
    if inbound.channel == CHANNEL_MP:
        return inbound.event in ("subscribe", "SCAN") and bool(inbound.event_key)
    return inbound.channel == CHANNEL_WECOM and inbound.event == "change_external_chat"


class JoinWorker:
    def __init__(
        self, *, session_factory: sessionmaker[Session], clients: JoinClients, clock: Callable[[], datetime]
    ) -> None:
        self.session_factory, self.clients, self.clock = session_factory, clients, clock
        self._wake = threading.Event()
        self._drain_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._retry_soon = False

    def notice(self, inbound: Inbound) -> None:
        """The webhook's after-commit hook."""
        if concerns_joins(inbound):
            self.kick()

    def kick(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="join-worker", daemon=True)
            self._thread.start()
        self._wake.set()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        for client in (self.clients.http, self.clients.wecom, self.clients.mp):
            client.close()

    def _run(self) -> None:
        while not self._stopping:
            self._wake.wait(timeout=RETRY_SECONDS if self._retry_soon else None)
            self._wake.clear()
            self._retry_soon = False
            try:
                self.drain()
            except Exception:  # keep the worker alive; the rows stay for the next wake-up
                log.exception("join worker pass failed")

    def drain(self) -> int:
        """One pass over everything owed; returns how many rows it finished."""
        with self._drain_lock, self.session_factory() as session:
            done = service.fail_interrupted(session=session, before=self.clock() - 2 * flows.EVENT_WINDOW)
            for invitation_id in service.pending_invitation_ids(session=session):
                done += self._send(session, invitation_id)
            for sync in service.due_group_syncs(session=session):
                done += self._sync(session, sync)
            return done

    def _send(self, session: Session, invitation_id: int) -> int:
        invitation = service.claim_invitation(session=session, invitation_id=invitation_id)
        if invitation is None:
            return 0
        now = self.clock()
        try:
            flows.send_join_qr(session=session, clients=self.clients, invitation=invitation, now=now)
        except (JoinFailed, PermanentApiError) as err:
            session.rollback()
            log.warning("join QR for invitation %s not sent: %s", invitation_id, flows.describe(err))
            service.finish_invitation(session=session, invitation=invitation, now=now, error=flows.describe(err))
            return 1
        except Exception as err:  # transient or network: back to pending for the next wake-up
            session.rollback()
            log.warning("join QR for invitation %s will be retried: %s", invitation_id, flows.describe(err))
            service.finish_invitation(session=session, invitation=invitation, now=now, error=flows.describe(err), retry=True)
            self._retry_soon = True
            return 0
        service.finish_invitation(session=session, invitation=invitation, now=now)
        return 1

    def _sync(self, session: Session, sync: CustomerGroupSync) -> int:
        now = self.clock()
        try:
            flows.sync_group(session=session, clients=self.clients, sync=sync, now=now)
        except PermanentApiError as err:  # e.g. 48002: reading again will not help; keep the reason
            session.rollback()
            sync.synced_at, sync.last_error = now, flows.describe(err)[:300]
            session.commit()
            log.warning("customer group %s not read: %s", sync.chat_id, sync.last_error)
            return 1
        except (TransientApiError, httpx.HTTPError) as err:
            session.rollback()
            sync.last_error = flows.describe(err)[:300]
            session.commit()
            self._retry_soon = True
            return 0
        return 1


def join_worker(
    settings: Settings, session_factory: sessionmaker[Session], clock: Callable[[], datetime]
) -> JoinWorker | None:
    """The deployment's worker, or None when WeCom or the Official Account is not configured."""
    if not (settings.wecom_corp_id and settings.wecom_secret and settings.mp_app_id and settings.mp_app_secret):
        return None
    clients = JoinClients(
        wecom=wecom_client(settings, session_factory),
        mp=mp_client(settings, session_factory),
        http=httpx.Client(timeout=10.0),
    )
    return JoinWorker(session_factory=session_factory, clients=clients, clock=clock)
