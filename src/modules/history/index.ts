export { HistoryResolver } from './history.resolver';
export { ChangeKind, FeatureChange, FeatureVersion, HistoryLayer } from './history.type';
