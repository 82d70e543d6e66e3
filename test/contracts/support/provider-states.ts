// Provider state names, shared by the consumer tests (`given`) and the provider contracts (state setup),
// so a typo cannot silently create a state nobody implements.
export const states = {
  /** orders: a product is in orders' price list. Params: productId, storeId, currencyCode, amountMinor. */
  productForSale: 'a product is for sale',
  /** orders: an order was placed. Params: orderId, productId, quantity. */
  orderPlaced: 'an order is placed',
  /** orders: an order was placed and paid. Params: orderId, productId, quantity. */
  orderPaid: 'an order is paid',
  /** payments: the gateway declines this payment method. Params: paymentMethodId. */
  gatewayDeclines: 'the payment gateway declines the payment method',
  /** inventory: a product has stock. Params: productId, storeId, onHand. */
  productInStock: 'a product has stock',
  /** stores: a store exists. Params: storeId. */
  storeExists: 'a store exists',
  /** stores: a product is in a store's catalogue. Params: storeId, productId. */
  productInCatalogue: 'a product is in the catalogue',
  /** notifications: orders knows a completed order (answers GetOrder). Params: orderId, customerId. */
  orderCompletedKnown: 'orders knows a completed order',
} as const;
