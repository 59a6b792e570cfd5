"""Wi-Fi details for the network QR code, checked without touching the database (the CLI checks
them before the console's first frame)."""

from __future__ import annotations

from meetingtui.domain.errors import FieldErrors
from meetingtui.domain.text import clean_text


def check_wifi(ssid: str, password: str = "") -> tuple[str, str]:
    """Clean and check Wi-Fi details: the SSID fits Wi-Fi's 32 bytes, a password fits WPA (8 to
    63 characters) or is empty for an open network. Returns the cleaned pair."""
    ssid = clean_text(ssid)
    errors: dict[str, str] = {}
    if len(ssid.encode("utf-8")) > 32:
        errors["wifi_ssid"] = "A Wi-Fi network name is at most 32 bytes long"
    if password and not 8 <= len(password) <= 63:
        errors["wifi_password"] = "A Wi-Fi password has 8 to 63 characters (or none, if open)"
    if errors:
        raise FieldErrors(errors)
    return ssid, password if ssid else ""
