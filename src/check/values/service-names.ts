/**
 * Well-known TCP/UDP service names, for PORT values such as `fd.sport = http`. libsinsp asks the
 * host's services database (`getservbyname`); falx must not depend on the host, so it ships the
 * common entries of IANA's registry as found in Debian's `netbase` `/etc/services`.
 */
export const serviceNames: ReadonlyMap<string, number> = new Map([
  ['tcpmux', 1], ['echo', 7], ['discard', 9], ['systat', 11], ['daytime', 13], ['netstat', 15],
  ['qotd', 17], ['chargen', 19], ['ftp-data', 20], ['ftp', 21], ['ssh', 22], ['telnet', 23],
  ['smtp', 25], ['time', 37], ['whois', 43], ['tacacs', 49], ['domain', 53], ['gopher', 70],
  ['finger', 79], ['http', 80], ['www', 80], ['kerberos', 88], ['iso-tsap', 102], ['pop3', 110],
  ['sunrpc', 111], ['auth', 113], ['nntp', 119], ['ntp', 123], ['epmap', 135], ['netbios-ns', 137],
  ['netbios-dgm', 138], ['netbios-ssn', 139], ['imap2', 143], ['snmp', 161], ['snmp-trap', 162],
  ['bgp', 179], ['irc', 194], ['ldap', 389], ['https', 443], ['microsoft-ds', 445], ['kpasswd', 464],
  ['submissions', 465], ['syslog', 514], ['printer', 515], ['submission', 587], ['ldaps', 636],
  ['rsync', 873], ['ftps', 990], ['imaps', 993], ['pop3s', 995], ['socks', 1080], ['openvpn', 1194],
  ['ms-sql-s', 1433], ['ms-sql-m', 1434], ['pptp', 1723], ['radius', 1812], ['nfs', 2049],
  ['mysql', 3306], ['postgresql', 5432], ['amqp', 5672], ['x11', 6000], ['http-alt', 8080],
]);
