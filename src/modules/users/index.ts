export { UserResolver } from './user.resolver';
export { UserMutationResolver } from './user.mutations';
export { ApiTokenResolver } from './api-token.resolver';
export { createUserLoaders, type UserLoaders } from './user.loaders';
export { authService } from './auth.service';
export { UserRepository, USER_TARGET } from './user.repository';
export { ApiTokenRepository } from './api-token.repository';
export { ApiToken, User, UserKind } from './user.type';
export { LoginThrottle, throttledLogin } from './login-throttle';
