// The tests write pictures with the extension's own encoder.
export { encodeGrayPng, encodeRgbPng } from '../../src/data/png';
