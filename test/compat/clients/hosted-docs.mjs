// A client written the way the hosted API's docs show it (JavaScript, fetch and btoa), for the compatibility
// tests: the test changes only BASE_URL and the two credential placeholders. Reads image.png, writes output.svg.
import { readFile, writeFile } from 'node:fs/promises';

const API_KEY = 'YOUR_API_KEY';
const API_SECRET = 'YOUR_API_SECRET';
const BASE_URL = 'https://api.cloud.scenario.com/v1';

const headers = {
  Authorization: `Basic ${btoa(`${API_KEY}:${API_SECRET}`)}`,
  'Content-Type': 'application/json',
};

async function call(path, init = {}) {
  const response = await fetch(`${BASE_URL}${path}`, { headers, ...init });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

// 1. Upload the image as an asset (a data URL, as the docs' plugin sends it)
const bytes = await readFile('image.png');
const { asset: input } = await call('/assets', {
  method: 'POST',
  body: JSON.stringify({ image: `data:image/png;base64,${bytes.toString('base64')}`, name: 'image.png' }),
});

// 2. Generate
const { job: created } = await call('/generate/custom/model_visioncortex-vtracer', {
  method: 'POST',
  body: JSON.stringify({ image: input.id, presetName: 'poster' }),
});
console.log(`job ${created.jobId} created`);

// 3. Poll until the job ends
let job = created;
while (!['success', 'failure', 'canceled'].includes(job.status)) {
  await new Promise((resolve) => setTimeout(resolve, 500));
  ({ job } = await call(`/jobs/${created.jobId}`));
}
if (job.status !== 'success') throw new Error(`job ${job.status}: ${job.error}`);

// 4. Download the SVG from the output asset's url
const { asset } = await call(`/assets/${job.metadata.assetIds[0]}`);
const svg = await fetch(asset.url);
if (!svg.ok) throw new Error(`download: ${svg.status}`);
await writeFile('output.svg', Buffer.from(await svg.arrayBuffer()));
console.log(`job ${job.jobId}: ${job.status}, ${asset.mimeType}`);
