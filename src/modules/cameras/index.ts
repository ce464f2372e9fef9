export { CameraResolver } from './camera.resolver';
export { createCameraLoaders, type CameraLoaders } from './camera.loaders';
export { CameraRepository } from './camera.repository';
export { cameraGeometry } from './camera.service';
export { Camera, CameraConnection, CameraFilter, CameraKind, CameraPurpose, CameraStatus } from './camera.type';
export { CameraInputs, CameraMutationResolver } from './camera.mutations';
export { CameraCoverage, CameraCoverageResolver, CameraSighting, cameraCoverageService } from './camera-coverage';
