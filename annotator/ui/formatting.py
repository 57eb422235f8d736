"""Small text formatting shared by the panels."""

from __future__ import annotations

from datetime import datetime


def local_time(stamp: str) -> str:
    """An ISO UTC stamp ("...Z") as local "YYYY-MM-DD HH:MM"; an unparseable stamp is shown as it is."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")
