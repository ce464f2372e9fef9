export { FaultLiveEventResolver, LiveResolver } from './live.resolver';
export { startLiveServer, type LiveServer } from './live.server';
