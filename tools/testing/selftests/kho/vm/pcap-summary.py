#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# pcap-summary.py FILE: the DHCP and BOOTP messages and the ICMP echo
# requests in a pcap file (QEMU's filter-dump, Ethernet frames), one line
# each, in the order of the file:
#   <frame number> <DHCP message type> client <MAC> yiaddr <address>
#       [lease <seconds>]   (the IP address lease time, option 51, if any)
#   <frame number> ICMP echo-request <source> > <destination>
# followed by a line "frames N" with the number of frames in the file.
# Exit status 1 when FILE is not a pcap file of Ethernet frames.

import struct
import sys

DHCP_TYPES = {1: 'DISCOVER', 2: 'OFFER', 3: 'REQUEST', 4: 'DECLINE',
              5: 'ACK', 6: 'NAK', 7: 'RELEASE', 8: 'INFORM'}
MAGIC = b'\x63\x82\x53\x63'


def option(options, want):
    """The value of DHCP option WANT (bytes), or None."""
    i = 0
    while i < len(options) and options[i] != 255:
        if options[i] == 0:
            i += 1
            continue
        if i + 1 >= len(options):
            break
        code, size = options[i], options[i + 1]
        if code == want:
            value = options[i + 2:i + 2 + size]
            return value if len(value) == size else None
        i += 2 + size
    return None


def message_type(options):
    """The DHCP message type (option 53), or BOOTP without one."""
    value = option(options, 53)
    if value is None or len(value) != 1:
        return 'BOOTP'
    return DHCP_TYPES.get(value[0], 'type%d' % value[0])


def lease(options):
    """ " lease N" for the lease time (option 51), or "" without one."""
    value = option(options, 51)
    if value is None or len(value) != 4:
        return ''
    return ' lease %d' % struct.unpack('>I', value)[0]


def dotted(addr):
    return '.'.join(str(b) for b in addr)


def frame_line(frame):
    """A line for a DHCP/BOOTP or ICMP echo request frame, else None."""
    if len(frame) < 14 + 20 + 8 or frame[12:14] != b'\x08\x00':
        return None
    ip = frame[14:]
    ihl = (ip[0] & 0x0f) * 4
    if ip[9] == 1 and len(ip) > ihl and ip[ihl] == 8:
        return 'ICMP echo-request %s > %s' % (dotted(ip[12:16]),
                                              dotted(ip[16:20]))
    if ip[9] != 17 or len(ip) < ihl + 8:
        return None
    sport, dport = struct.unpack('>HH', ip[ihl:ihl + 4])
    if {sport, dport} != {67, 68}:
        return None
    bootp = ip[ihl + 8:]
    if len(bootp) < 240 or bootp[236:240] != MAGIC:
        return None
    mac = ':'.join('%02x' % b for b in bootp[28:34])
    return '%s client %s yiaddr %s%s' % (message_type(bootp[240:]), mac,
                                         dotted(bootp[16:20]),
                                         lease(bootp[240:]))


def main():
    with open(sys.argv[1], 'rb') as f:
        data = f.read()
    if len(data) < 24 or data[:4] != b'\xd4\xc3\xb2\xa1' or \
       struct.unpack('<I', data[20:24])[0] != 1:
        print('%s: not a little-endian pcap file of Ethernet frames' %
              sys.argv[1], file=sys.stderr)
        return 1
    off, n = 24, 0
    while off + 16 <= len(data):
        incl = struct.unpack('<I', data[off + 8:off + 12])[0]
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        n += 1
        line = frame_line(frame)
        if line:
            print('%d %s' % (n, line))
    print('frames %d' % n)
    return 0


if __name__ == '__main__':
    sys.exit(main())
