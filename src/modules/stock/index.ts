export { StockItemResolver, StockMovementResolver, StockMutationResolver } from './stock.resolver';
export { createStockLoaders, type StockLoaders } from './stock.loaders';
export { StockCategory, StockItem, StockMovement, StockMovementKind } from './stock.type';
