export { UserResolver } from './user.resolver';
export { createUserLoaders, type UserLoaders } from './user.loaders';
export { authService } from './auth.service';
export { UserRepository } from './user.repository';
export { User, UserKind } from './user.type';
