"""The time zone of a meeting's venue, from the cities where intergovernmental meetings sit.

An agenda rarely prints its time zone; it prints its venue ("Vienna", "Palais des Nations,
Geneva", "United Nations Headquarters, New York"). The UN's duty stations and the cities that
host the other bodies' meetings are known here; any other venue gets no zone, and the import's
summary says so (a session begun from the agenda then keeps the zone of the machine that
begins it, until ``timezone`` is added).
"""

from __future__ import annotations

import re
import unicodedata

_CITIES = {
    "vienna": "Europe/Vienna",
    "wien": "Europe/Vienna",
    "vienne": "Europe/Vienna",
    "geneva": "Europe/Zurich",
    "geneve": "Europe/Zurich",
    "ginebra": "Europe/Zurich",
    "new york": "America/New_York",
    "nueva york": "America/New_York",
    "washington": "America/New_York",
    "nairobi": "Africa/Nairobi",
    "bonn": "Europe/Berlin",
    "berlin": "Europe/Berlin",
    "rome": "Europe/Rome",
    "roma": "Europe/Rome",
    "paris": "Europe/Paris",
    "strasbourg": "Europe/Paris",
    "london": "Europe/London",
    "londres": "Europe/London",
    "brussels": "Europe/Brussels",
    "bruxelles": "Europe/Brussels",
    "luxembourg": "Europe/Luxembourg",
    "the hague": "Europe/Amsterdam",
    "la haye": "Europe/Amsterdam",
    "amsterdam": "Europe/Amsterdam",
    "copenhagen": "Europe/Copenhagen",
    "madrid": "Europe/Madrid",
    "lisbon": "Europe/Lisbon",
    "montreal": "America/Toronto",
    "ottawa": "America/Toronto",
    "bangkok": "Asia/Bangkok",
    "addis ababa": "Africa/Addis_Ababa",
    "santiago": "America/Santiago",
    "beirut": "Asia/Beirut",
    "doha": "Asia/Qatar",
    "dubai": "Asia/Dubai",
    "abu dhabi": "Asia/Dubai",
    "riyadh": "Asia/Riyadh",
    "cairo": "Africa/Cairo",
    "sharm el-sheikh": "Africa/Cairo",
    "marrakech": "Africa/Casablanca",
    "baku": "Asia/Baku",
    "tokyo": "Asia/Tokyo",
    "kyoto": "Asia/Tokyo",
    "panama": "America/Panama",
    "mexico city": "America/Mexico_City",
    "lima": "America/Lima",
    "buenos aires": "America/Argentina/Buenos_Aires",
    "canberra": "Australia/Sydney",
    "sydney": "Australia/Sydney",
}
_CITY = re.compile(
    r"\b(" + "|".join(re.escape(c) for c in sorted(_CITIES, key=len, reverse=True)) + r")\b"
)


def zone_of_venue(venue: str | None) -> str | None:
    """The IANA time zone of the city a venue names ("Palais des Nations, Geneva" ->
    "Europe/Zurich"), if it names one of the known cities; else None."""
    if not venue:
        return None
    folded = unicodedata.normalize("NFKD", venue.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    found = _CITY.search(folded)
    return _CITIES[found.group(1)] if found else None
