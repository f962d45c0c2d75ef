"""What an inbound rule opens, told the same way for every kind of rule (security-group permissions,
network ACL entries): the protocol and port range it covers, whether its source is the whole internet, and
how grave that is (administrative and database ports, the ``public-ports`` allowance)."""

from __future__ import annotations

import ipaddress

from .values import Value

ADMIN_PORTS = {
    22: "SSH", 23: "Telnet", 135: "MS RPC", 139: "NetBIOS", 445: "SMB", 1433: "SQL Server", 1521: "Oracle",
    2375: "Docker", 2376: "Docker", 3306: "MySQL", 3389: "RDP", 5432: "PostgreSQL", 5900: "VNC",
    5985: "WinRM", 5986: "WinRM", 6379: "Redis", 9042: "Cassandra", 9200: "Elasticsearch",
    9300: "Elasticsearch", 11211: "Memcached", 27017: "MongoDB",
}
ALL_TRAFFIC = "all traffic"
_ALL_PROTOCOLS = {"-1", "all"}
_ICMP = {"icmp", "icmpv6", "1", "58"}
# Protocol names as numbers, so that "tcp" and 6 name the same protocol.
_NUMBERS = {"all": "-1", "tcp": "6", "udp": "17", "icmp": "1", "icmpv6": "58"}


def open_network(text: str) -> int | None:
    """The IP version (4 or 6) of a source that is the whole internet (any prefix length 0), else ``None``."""
    try:
        network = ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None
    return network.version if network.prefixlen == 0 else None


def number(value: Value | None) -> int | None:
    """A known whole number (``22``, ``"22"``), else ``None``."""
    if value is None or value.is_unknown:
        return None
    try:
        return int(str(value.raw).strip())
    except ValueError:
        return None


def protocol_number(value: Value | None) -> str | None:
    """The protocol as its number in text (``"tcp"`` -> ``"6"``; absent means all: ``"-1"``), ``None`` when
    unknown."""
    if value is None or (value.is_known and value.raw is None):
        return "-1"
    if value.is_unknown:
        return None
    name = str(value.raw).strip().lower()
    return _NUMBERS.get(name, name)


def port_range(protocol: Value | None, from_port: Value | None,
               to_port: Value | None) -> tuple[int, int, str | None] | None:
    """The port range a rule opens, with a label for all traffic or ICMP; ``None`` when unknown."""
    if protocol is None or protocol.is_unknown or protocol.raw is None:
        return None if protocol is not None and protocol.is_unknown else (0, 65535, ALL_TRAFFIC)
    name = str(protocol.raw).strip().lower()
    if name in _ALL_PROTOCOLS:
        return 0, 65535, ALL_TRAFFIC
    if name in _ICMP:
        return 0, 0, "ICMP"
    low, high = number(from_port), number(to_port)
    if low is None or high is None:
        if from_port is None and to_port is None:
            return 0, 65535, None
        return None
    if low == -1 or high == -1:  # -1 means every port of the protocol
        return 0, 65535, None
    return min(low, high), max(low, high), None


def unknown_ports(protocol: Value | None, from_port: Value | None, to_port: Value | None) -> str:
    """Why `port_range` could not tell the ports: the reason of the first unknown of the three."""
    for value in (protocol, from_port, to_port):
        unknown = next((v for v in value.variants() if v.is_unknown), None) if value is not None else None
        if unknown is not None:
            return unknown.reason or "protocol or port is not known"
    return "protocol or port is not known"


def exposure(ranges: list[tuple[int, int]], label: str | None, public_ports) -> tuple[str, str] | None:
    """How to name what ``ranges`` (or ``label``: all traffic, ICMP) expose to the internet and how severe
    it is: ``("port 22 (SSH)", "high")``; ``None`` when every port is in the public-ports allowance."""
    if label is None and all(_within(low, high, public_ports) for low, high in ranges):
        return None
    admin = sorted({name for port, name in ADMIN_PORTS.items() if any(low <= port <= high for low, high in ranges)})
    severity = "high" if label == ALL_TRAFFIC or admin else "medium"
    if label is not None:
        return label, severity
    spans = [f"{low}" if low == high else f"{low}-{high}" for low, high in ranges]
    plural = len(ranges) > 1 or ranges[0][0] != ranges[0][1]
    what = f"{'ports' if plural else 'port'} {', '.join(spans)}"
    if admin:
        what += f" ({', '.join(admin[:3])}{', …' if len(admin) > 3 else ''})"
    return what, severity


def without(ranges: list[tuple[int, int]], low: int, high: int) -> list[tuple[int, int]]:
    """``ranges`` less the ports ``low`` to ``high``."""
    left: list[tuple[int, int]] = []
    for start, end in ranges:
        if end < low or start > high:
            left.append((start, end))
            continue
        if start < low:
            left.append((start, low - 1))
        if end > high:
            left.append((high + 1, end))
    return left


def _within(low: int, high: int, allowed) -> bool:
    return high - low < 1024 and all(port in allowed for port in range(low, high + 1))
