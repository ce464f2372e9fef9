import type { AssetType } from './catalog';
import { INVENTORY_PREFIX } from './catalog';

/**
 * Unique identifiers of the sample assets, drawn from a seeded random source: serial numbers in
 * each maker's shape, MAC addresses under the maker's OUI, inventory (demirbaş) numbers by type and
 * year, and IP addresses from the municipality's 10.x plan.
 */
export class Identifiers {
  private readonly serials = new Set<string>();
  private readonly macs = new Set<string>();
  private readonly inventorySeq = new Map<string, number>();
  private readonly hosts = new Map<string, number>();

  constructor(private readonly random: () => number) {}

  private char(set: string): string {
    return set[Math.floor(this.random() * set.length)];
  }

  /** A serial number of the pattern: # digit, @ letter, * digit or letter, % hex digit. */
  serial(pattern: string): string {
    const letters = 'ABCDEFGHJKLMNPRSTUVWXYZ';
    for (;;) {
      let s = '';
      for (const c of pattern) {
        if (c === '#') s += this.char('0123456789');
        else if (c === '@') s += this.char(letters);
        else if (c === '*') s += this.char(`0123456789${letters}`);
        else if (c === '%') s += this.char('0123456789ABCDEF');
        else s += c;
      }
      if (!this.serials.has(s)) {
        this.serials.add(s);
        return s;
      }
    }
  }

  mac(oui: string): string {
    for (;;) {
      const tail = Array.from({ length: 3 }, () => Math.floor(this.random() * 256).toString(16).padStart(2, '0').toUpperCase());
      const mac = `${oui}:${tail.join(':')}`;
      if (!this.macs.has(mac)) {
        this.macs.add(mac);
        return mac;
      }
    }
  }

  /** NZP.BLG.2019.0042: the type's prefix, the year of purchase, a number within them. */
  inventoryNo(type: AssetType, purchasedOn: string): string {
    const key = `${INVENTORY_PREFIX[type]}.${purchasedOn.slice(0, 4)}`;
    const n = (this.inventorySeq.get(key) ?? 0) + 1;
    this.inventorySeq.set(key, n);
    return `NZP.${key}.${String(n).padStart(4, '0')}`;
  }

  /** The next free host of a /24 (`net` is its first three octets), from `first` on. */
  host(net: string, first = 11): string {
    const n = Math.max(this.hosts.get(net) ?? first, first);
    if (n > 254) throw new Error(`no free address left in ${net}.0/24`);
    this.hosts.set(net, n + 1);
    return `${net}.${n}`;
  }
}
