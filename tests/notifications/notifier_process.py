"""One notifier pass in a process of its own, for the crash tests: configured from the
environment like ``dutyloop notify``, optionally for some channels only, and told where to die (``--crash-before-send CHANNEL`` or
``--crash-after-send CHANNEL``): ``os._exit`` there, as a power cut or SIGKILL would, with no
cleanup, no rollback handler, no flush."""

from __future__ import annotations

import argparse
import json
import os
from datetime import timedelta

from dutyloop.settings import Settings
from dutyloop.wiring import open_system
from notifications.config import NotifyConfig
from notifications.dispatch import Claimed, utc_now
from notifications.service import Notifier, default_channels

DIED = 9


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--crash-before-send")
    parser.add_argument("--crash-after-send")
    parser.add_argument("--later", type=float, default=0.0,
                        help="Act as if this many seconds had passed (leases run out without waiting).")
    parser.add_argument("--channels", help="Deliver only these channels (comma-separated), as a dedicated sender would.")
    args = parser.parse_args()

    def dies_on(channel: str | None):  # type: ignore[no-untyped-def]
        def hook(claimed: Claimed) -> None:
            if claimed.channel == channel:
                os._exit(DIED)

        return hook

    settings = Settings.from_env()
    system = open_system(settings)
    config = NotifyConfig.from_env(os.environ, locale=settings.locale, timezone=settings.timezone)
    channels = default_channels(config)
    if args.channels:
        channels = {name: channels[name] for name in args.channels.split(",")}
    notifier = Notifier(system, config, now=lambda: utc_now() + timedelta(seconds=args.later), channels=channels,
                        before_send=dies_on(args.crash_before_send),
                        after_send=dies_on(args.crash_after_send))
    result = notifier.run_once()
    print(json.dumps({"events": result.events_read, "sent": result.tally.sent, "failed": result.tally.failed}))
    system.close()


if __name__ == "__main__":
    main()
