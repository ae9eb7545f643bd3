export * from './errors.js';
export * from './snapshot.js';
export * from './patch.js';
export * from './messages.js';
export * from './methods.js';
export * from './framing.js';
export * from './client.js';
export * from './bridge.js';
