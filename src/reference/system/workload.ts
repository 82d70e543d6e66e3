// The demo's data: a small mall (stores, products, stock) and a mix of orders that succeed, are
// declined by the payment gateway, or run out of stock. Deterministic for a given seed.
import type { CatalogSeed } from '../stores/catalog-service.ts';

export interface WorkloadOptions {
  readonly orders: number;
  readonly stores: number;
  readonly productsPerStore: number;
  /** Share of orders paid with a method the gateway declines. */
  readonly declineShare: number;
  /** Share of orders that ask for scarce products (some of them run out of stock). */
  readonly scarceShare: number;
  /** Share of requests that are invalid commands (rejected, nothing stored). */
  readonly invalidShare: number;
  readonly seed: number;
}

export const defaultWorkload: WorkloadOptions = {
  orders: 1000,
  stores: 4,
  productsPerStore: 8,
  declineShare: 0.1,
  scarceShare: 0.15,
  invalidShare: 0.02,
  seed: 42,
};

export interface PlannedOrder {
  readonly kind: 'normal' | 'declined' | 'scarce' | 'invalid';
  readonly idempotencyKey: string;
  readonly customerId: string;
  readonly paymentMethodId: string;
  readonly lines: readonly { readonly productId: string; readonly quantity: number }[];
}

export interface Workload {
  readonly catalog: CatalogSeed;
  readonly productIds: readonly string[];
  readonly orders: readonly PlannedOrder[];
}

/** Small deterministic PRNG (mulberry32): the same seed gives the same workload. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const storeNames = [
  'Corner Coffee',
  'Book Nook',
  'Gadget Garage',
  'Green Grocer',
  'Tea House',
  'Toy Box',
  'Sport Shed',
  'Shoe Shop',
];

export function planWorkload(options: Partial<WorkloadOptions> = {}): Workload {
  const o = { ...defaultWorkload, ...options };
  const rnd = random(o.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const scarceOrders = Math.round(o.orders * o.scarceShare);
  const stores: CatalogSeed['stores'][number][] = [];
  const plentiful: string[] = [];
  const scarce: string[] = [];
  for (let s = 0; s < o.stores; s++) {
    const storeId = `sto_${s + 1}`;
    const products = [];
    for (let p = 0; p < o.productsPerStore; p++) {
      const productId = `prd_${s + 1}_${p + 1}`;
      // The last product of each store is scarce: stock for about half of the orders that want it.
      const isScarce = p === o.productsPerStore - 1;
      (isScarce ? scarce : plentiful).push(productId);
      products.push({
        productId,
        name: `${storeNames[s % storeNames.length]} item ${p + 1}`,
        description: '',
        sku: `S${s + 1}-P${p + 1}`,
        price: { currency: 'EUR', amountMinor: 150 + Math.floor(rnd() * 40) * 25 },
        initialStock: isScarce
          ? Math.max(1, Math.floor(scarceOrders / Math.max(1, o.stores) / 2))
          : o.orders * 3 + 100,
      });
    }
    stores.push({
      storeId,
      name: storeNames[s % storeNames.length] as string,
      location: `Level ${1 + (s % 3)}, unit ${10 + s}`,
      products,
    });
  }
  const orders: PlannedOrder[] = [];
  for (let i = 0; i < o.orders; i++) {
    const r = rnd();
    const kind: PlannedOrder['kind'] =
      r < o.invalidShare
        ? 'invalid'
        : r < o.invalidShare + o.declineShare
          ? 'declined'
          : r < o.invalidShare + o.declineShare + o.scarceShare
            ? 'scarce'
            : 'normal';
    const lineCount = 1 + Math.floor(rnd() * 3);
    const lines = Array.from({ length: lineCount }, () => ({
      productId: pick(plentiful),
      quantity: 1 + Math.floor(rnd() * 2),
    }));
    if (kind === 'scarce') lines.push({ productId: pick(scarce), quantity: 1 });
    if (kind === 'invalid') {
      // A mix of the refusals orders must answer with a reason code.
      const variant = i % 3;
      if (variant === 0) lines.splice(0, lines.length);
      else if (variant === 1) lines.splice(0, 1, { productId: 'prd_does_not_exist', quantity: 1 });
      else lines.splice(0, 1, { productId: pick(plentiful), quantity: 0 });
    }
    orders.push({
      kind,
      idempotencyKey: `demo-${o.seed}-${i}`,
      customerId: `cus_${1 + Math.floor(rnd() * 200)}`,
      paymentMethodId: kind === 'declined' ? `pm_declined_${i}` : `pm_card_${i}`,
      lines,
    });
  }
  return { catalog: { stores }, productIds: [...plentiful, ...scarce], orders };
}
