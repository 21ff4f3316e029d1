// bench.mjs times ZXing-C++ compiled to WebAssembly (the npm package
// zxing-wasm, reader build) on 8-bit grey PGM frames in node: the kiosk's
// other option for its worker, on the same frames as zxingbench (native)
// and the scanner's Go benchmarks under GOOS=js GOARCH=wasm. Not part of
// the build or the tests.
//
//	cd scripts/decoderate/zxingwasm && npm ci
//	node bench.mjs 50 /tmp/frames/*.pgm
//
// The .wasm is read from node_modules (never fetched). Frames go in as
// RGBA ImageData, as a kiosk worker would hand over a canvas's pixels;
// zxing-wasm converts them to grey first, which is in the figure.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  prepareZXingModule,
  readBarcodes,
  ZXING_WASM_VERSION,
  ZXING_CPP_COMMIT,
} from "zxing-wasm/reader";

const require = createRequire(import.meta.url);
const wasmPath = require.resolve("zxing-wasm/reader/zxing_reader.wasm");

function readPGM(path) {
  const buf = readFileSync(path);
  const header = buf.toString("latin1", 0, 64).match(/^P5\s+(\d+)\s+(\d+)\s+255\s/);
  if (!header) throw new Error(`${path}: not an 8-bit P5 PGM`);
  const [all, w, h] = header;
  const width = Number(w), height = Number(h);
  const grey = buf.subarray(all.length, all.length + width * height);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < grey.length; i++) {
    data[4 * i] = data[4 * i + 1] = data[4 * i + 2] = grey[i];
    data[4 * i + 3] = 255;
  }
  return { width, height, data, colorSpace: "srgb" };
}

const [n = "30", ...files] = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node bench.mjs REPEATS FILE.pgm...");
  process.exit(2);
}
await prepareZXingModule({
  overrides: { wasmBinary: readFileSync(wasmPath) },
  fireImmediately: true,
});
console.log(`zxing-wasm ${ZXING_WASM_VERSION}, zxing-cpp ${ZXING_CPP_COMMIT}, node ${process.version}`);
const options = { formats: ["QRCode"] }; // the rest as ZXingReader: try harder, rotate, invert, downscale
for (const file of files) {
  const img = readPGM(file);
  await readBarcodes(img, options); // warm up
  const ms = [];
  let res;
  for (let k = 0; k < Number(n); k++) {
    const t0 = performance.now();
    res = await readBarcodes(img, options);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const texts = res.filter((r) => r.isValid).map((r) => r.text);
  console.log(`${file}\tbest ${ms[0].toFixed(2)} ms\tmedian ${ms[ms.length >> 1].toFixed(2)} ms\t${texts.length} codes\t${texts.join("\t")}`);
}
