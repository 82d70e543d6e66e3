// Subject filters, overlap, names and durations used across the registry.
import { describe, expect, it } from 'vitest';
import { jsonName, kebabCase, parseDuration, subjectFilter, subjectsOverlap } from '../../src/model/index.ts';

describe('subjectFilter', () => {
  it.each([
    ['orders.order-placed.v1.{orderId}', 'orders.order-placed.v1.>'],
    ['orders.{region}.order-placed.v1.{orderId}', 'orders.*.order-placed.v1.>'],
    ['query.orders.get-order.v1', 'query.orders.get-order.v1'],
    ['orders.order-{kind}.v1.x', 'orders.*.v1.x'],
    ['smartylighting/streetlights/1/0/event/{id}/lighting/measured', ''],
    ['', ''],
  ])('%s → %s', (address, filter) => {
    expect(subjectFilter(address)).toBe(filter);
  });
});

describe('subjectsOverlap', () => {
  it.each([
    ['orders.order-placed.v1.>', 'orders.order-placed.v1.lookup', true],
    ['orders.order-placed.v1.>', 'orders.order-placed.v1', false],
    ['orders.*.v1.>', 'orders.order-paid.v1.x', true],
    ['orders.order-placed.v1.>', 'query.orders.get-order.v1', false],
    ['a.b', 'a.*', true],
    ['a.b', 'a.b.c', false],
  ])('%s / %s → %s', (a, b, expected) => {
    expect(subjectsOverlap(a, b)).toBe(expected);
    expect(subjectsOverlap(b, a)).toBe(expected);
  });
});

describe('names and durations', () => {
  it('converts names', () => {
    expect(kebabCase('OrderPlaced')).toBe('order-placed');
    expect(kebabCase('StockReservationFailed')).toBe('stock-reservation-failed');
    expect(kebabCase('HTTPRequestSent')).toBe('http-request-sent');
    expect(jsonName('order_id')).toBe('orderId');
    expect(jsonName('line_items_v2')).toBe('lineItemsV2');
  });

  it('parses durations', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration(1500)).toBe(1500);
    expect(parseDuration('forever')).toBeUndefined();
    expect(parseDuration(-1)).toBeUndefined();
  });
});
