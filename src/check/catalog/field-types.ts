/**
 * libsinsp field types grouped into the families that decide which operators and values a field
 * accepts (libs `filter_compare.cpp::flt_is_comparable`).
 */

export type FieldType =
  | 'CHARBUF' | 'BYTEBUF' | 'BOOL' | 'IPADDR' | 'IPNET' | 'PORT' | 'DOUBLE' | 'DYNAMIC'
  | 'INT16' | 'INT32' | 'INT64' | 'UINT32' | 'UINT64' | 'RELTIME' | 'ABSTIME'
  /** Not a libsinsp type: an alert's `priority`, ordered emergency > alert > ... > debug (router only). */
  | 'PRIORITY';

export type TypeFamily = 'string' | 'buffer' | 'bool' | 'ipaddr' | 'ipnet' | 'numeric' | 'dynamic' | 'priority';

export function typeFamily(type: FieldType): TypeFamily {
  switch (type) {
    case 'CHARBUF':
      return 'string';
    case 'BYTEBUF':
      return 'buffer';
    case 'BOOL':
      return 'bool';
    case 'IPADDR':
      return 'ipaddr';
    case 'IPNET':
      return 'ipnet';
    case 'DYNAMIC':
      return 'dynamic';
    case 'PRIORITY':
      return 'priority';
    case 'PORT':
    case 'DOUBLE':
    case 'INT16':
    case 'INT32':
    case 'INT64':
    case 'UINT32':
    case 'UINT64':
    case 'RELTIME':
    case 'ABSTIME':
      return 'numeric';
  }
}
