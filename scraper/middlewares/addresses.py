"""Which IP addresses a crawler may connect to (the SSRF rules, pure and table-tested).

Only globally routable unicast addresses are public. IPv6 forms that embed an IPv4 address
(IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo) are judged by the IPv4 address inside.

>>> is_public("93.184.215.14"), is_public("127.0.0.1"), is_public("::ffff:169.254.169.254")
(True, False, False)
"""

from __future__ import annotations

import ipaddress
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, if it embeds one."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64 or (address in _IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: str | IPAddress) -> bool:
    """True when ``address`` is a globally routable unicast address (scoped ``%eth0`` suffixes allowed)."""
    if isinstance(address, str):
        try:
            address = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return False
    if isinstance(address, ipaddress.IPv6Address):
        inner = embedded_ipv4(address)
        if inner is not None:
            return is_public(inner)
        if address.is_site_local:
            return False
    return not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_unspecified
        or address.is_reserved
        or not address.is_global
    )


def literal_address(host: str) -> IPAddress | None:
    """The address a numeric host names in any spelling the C resolver accepts, else None.

    ``inet_aton`` is what ``getaddrinfo`` uses for IPv4 literals, so decimal (``2130706433``),
    octal, hex (``0x7f.1``) and short (``127.1``) forms all resolve here as they would on connect.

    >>> str(literal_address("2130706433")), str(literal_address("0x7f.1")), literal_address("example.com")
    ('127.0.0.1', '127.0.0.1', None)
    """
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None
