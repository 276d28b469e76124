#!/usr/bin/env node
// Vectorize an image with the Scenario-compatible API (Node 18+ fetch), as in the hosted API's docs with
// only the base URL changed: Basic auth, POST generate, poll the job until success, GET the asset, download
// the SVG from its temporary signed URL (no auth needed for that one).
//
//   VTRACER_API_KEY=... VTRACER_API_SECRET=... node examples/js/generate.mjs image.png [out.svg]
import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';

const baseUrl = process.env.VTRACER_BASE_URL ?? 'http://127.0.0.1:3000/v1';
const apiKey = process.env.VTRACER_API_KEY;
const apiSecret = process.env.VTRACER_API_SECRET;
const [imagePath, outPath = 'output.svg'] = process.argv.slice(2);
if (!apiKey || !apiSecret || !imagePath) {
  console.error('usage: VTRACER_API_KEY=... VTRACER_API_SECRET=... node generate.mjs IMAGE [OUT.svg]');
  process.exit(2);
}

const headers = {
  Authorization: `Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString('base64')}`,
  'Content-Type': 'application/json',
};

async function call(method, path, body) {
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: body && JSON.stringify(body) });
  const data = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${data.reason ?? data.message}`);
  return data;
}

const types = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.gif': 'image/gif', '.bmp': 'image/bmp', '.tif': 'image/tiff', '.tiff': 'image/tiff' };
const mime = types[extname(imagePath).toLowerCase()] ?? 'image/png';
const image = `data:${mime};base64,${(await readFile(imagePath)).toString('base64')}`;

const { job } = await call('POST', '/generate/custom/model_visioncortex-vtracer', { image, presetName: 'poster' });
console.log(`job ${job.jobId}: ${job.status}`);

let current = job;
while (!['success', 'failure', 'canceled'].includes(current.status)) {
  await new Promise((resolve) => setTimeout(resolve, 500));
  current = (await call('GET', `/jobs/${job.jobId}`)).job;
  console.log(`job ${job.jobId}: ${current.status} ${Math.round(current.progress * 100)}%`);
}
if (current.status !== 'success') {
  console.error(`job ${current.status}: ${current.error ?? ''}`);
  process.exit(1);
}

const { asset } = await call('GET', `/assets/${current.metadata.assetIds[0]}`);
const svg = await fetch(asset.url); // a signed URL: no Authorization header
if (!svg.ok) throw new Error(`download: ${svg.status}`);
await writeFile(outPath, Buffer.from(await svg.arrayBuffer()));
console.log(`wrote ${outPath} (${asset.properties.width}×${asset.properties.height}, ${asset.properties.size} bytes)`);
