// Word lists for synthetic registries: names that read like a real shop's event landscape.

/** Bounded contexts with the aggregates (entities) they own. The first five mirror the reference shop. */
export const contexts: readonly { readonly name: string; readonly entities: readonly string[] }[] = [
  { name: 'orders', entities: ['Order', 'Cart', 'Checkout'] },
  { name: 'payments', entities: ['Payment', 'Refund', 'Chargeback'] },
  { name: 'inventory', entities: ['Stock', 'Reservation', 'Warehouse'] },
  { name: 'stores', entities: ['Store', 'Product', 'Price'] },
  { name: 'notifications', entities: ['Notification', 'Template', 'Digest'] },
  { name: 'shipping', entities: ['Shipment', 'Parcel', 'Carrier'] },
  { name: 'customers', entities: ['Customer', 'Address', 'Consent'] },
  { name: 'billing', entities: ['Invoice', 'CreditNote', 'Statement'] },
  { name: 'loyalty', entities: ['Member', 'Reward', 'PointsBalance'] },
  { name: 'pricing', entities: ['PriceList', 'Discount', 'Quote'] },
  { name: 'returns', entities: ['ReturnRequest', 'Inspection', 'Restock'] },
  { name: 'reviews', entities: ['Review', 'Rating', 'Moderation'] },
  { name: 'fraud', entities: ['RiskAssessment', 'Alert', 'Blocklist'] },
  { name: 'identity', entities: ['Account', 'Session', 'Credential'] },
  { name: 'promotions', entities: ['Campaign', 'Coupon', 'Voucher'] },
  { name: 'subscriptions', entities: ['Subscription', 'Plan', 'Renewal'] },
  { name: 'fulfillment', entities: ['PickList', 'Pack', 'Dispatch'] },
  { name: 'ledger', entities: ['JournalEntry', 'Settlement', 'Payout'] },
  { name: 'support', entities: ['Ticket', 'Escalation', 'Feedback'] },
  { name: 'search', entities: ['IndexJob', 'Synonym', 'Ranking'] },
  { name: 'recommendations', entities: ['Recommendation', 'Model', 'Experiment'] },
  { name: 'procurement', entities: ['PurchaseOrder', 'Supplier', 'Receipt'] },
  { name: 'tax', entities: ['TaxRate', 'TaxReport', 'Exemption'] },
  { name: 'delivery', entities: ['Route', 'Slot', 'Driver'] },
  { name: 'marketing', entities: ['Audience', 'Newsletter', 'Segment'] },
  { name: 'analytics', entities: ['Report', 'Dashboard', 'Export'] },
  { name: 'media', entities: ['Asset', 'Thumbnail', 'Upload'] },
  { name: 'partners', entities: ['Partner', 'Agreement', 'Commission'] },
  { name: 'giftcards', entities: ['GiftCard', 'Redemption', 'Balance'] },
  { name: 'compliance', entities: ['Audit', 'Policy', 'Retention'] },
];

/** Qualifiers that multiply the context list for very large registries (`eu_orders`, `b2b_orders`...). */
export const contextQualifiers: readonly string[] = [
  'eu',
  'us',
  'apac',
  'b2b',
  'marketplace',
  'wholesale',
  'outlet',
  'partner',
  'kiosk',
  'mobile',
  'latam',
  'nordics',
];

export const serviceSuffixes: readonly string[] = [
  '',
  '-api',
  '-worker',
  '-projector',
  '-gateway',
  '-scheduler',
  '-importer',
  '-exporter',
  '-reconciler',
  '-auditor',
  '-sync',
  '-bff',
];

export const teams: readonly string[] = [
  'checkout',
  'money',
  'supply',
  'catalogue',
  'engagement',
  'logistics',
  'platform',
  'growth',
  'trust',
  'care',
];

export const verbs: readonly string[] = [
  'Created',
  'Placed',
  'Updated',
  'Approved',
  'Declined',
  'Completed',
  'Cancelled',
  'Reserved',
  'Released',
  'Expired',
  'Renewed',
  'Suspended',
  'Reopened',
  'Assigned',
  'Closed',
  'Flagged',
  'Verified',
  'Scheduled',
  'Archived',
  'Imported',
  'Published',
  'Rejected',
  'Escalated',
  'Settled',
  'Adjusted',
  'Merged',
  'Split',
  'Paused',
  'Resumed',
  'Deleted',
  'Restored',
  'Confirmed',
  'Failed',
  'Retried',
  'Submitted',
];

/**
 * The first events of the shop's contexts, as `[entity, verb]`, so small registries read like the reference
 * system. Generic names follow after these run out (the verb offsets keep them distinct from curated ones only
 * by chance, so generated names skip any curated name).
 */
export const curatedEvents: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  orders: [
    ['Order', 'Placed'],
    ['Order', 'Paid'],
    ['Order', 'Completed'],
    ['Order', 'Cancelled'],
    ['Cart', 'Abandoned'],
  ],
  payments: [
    ['Payment', 'Approved'],
    ['Payment', 'Declined'],
    ['Payment', 'Refunded'],
    ['Chargeback', 'Opened'],
  ],
  inventory: [
    ['Stock', 'Reserved'],
    ['Stock', 'ReservationFailed'],
    ['Stock', 'Released'],
    ['Warehouse', 'Restocked'],
  ],
  stores: [
    ['Store', 'Created'],
    ['Product', 'Added'],
    ['Product', 'PriceChanged'],
    ['Product', 'Removed'],
  ],
  notifications: [
    ['Notification', 'Sent'],
    ['Digest', 'Scheduled'],
    ['Notification', 'Bounced'],
  ],
};
