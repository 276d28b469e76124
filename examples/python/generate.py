#!/usr/bin/env python3
"""Vectorize an image with the Scenario-compatible API (requests), as in the hosted API's docs with only the
base URL changed: Basic auth, POST generate, poll the job until success, GET the asset, download the SVG from
its temporary signed URL (no auth needed for that one).

    VTRACER_API_KEY=... VTRACER_API_SECRET=... python3 examples/python/generate.py image.png [out.svg]
"""
import base64
import mimetypes
import os
import sys
import time

import requests

base_url = os.environ.get("VTRACER_BASE_URL", "http://127.0.0.1:3000/v1")
api_key = os.environ.get("VTRACER_API_KEY")
api_secret = os.environ.get("VTRACER_API_SECRET")
if not api_key or not api_secret or len(sys.argv) < 2:
    sys.exit("usage: VTRACER_API_KEY=... VTRACER_API_SECRET=... generate.py IMAGE [OUT.svg]")
image_path = sys.argv[1]
out_path = sys.argv[2] if len(sys.argv) > 2 else "output.svg"

session = requests.Session()
session.auth = (api_key, api_secret)
session.headers.update({"accept": "application/json"})


def check(response):
    if not response.ok:
        raise SystemExit(f"{response.request.method} {response.url}: {response.status_code} {response.json().get('reason')}")
    return response.json()


mime = mimetypes.guess_type(image_path)[0] or "image/png"
with open(image_path, "rb") as f:
    image = f"data:{mime};base64,{base64.b64encode(f.read()).decode()}"

job = check(session.post(f"{base_url}/generate/custom/model_visioncortex-vtracer",
                         json={"image": image, "presetName": "poster"}))["job"]
job_id = job["jobId"]
print(f"job {job_id}: {job['status']}")

while job["status"] not in ("success", "failure", "canceled"):
    time.sleep(0.5)
    job = check(session.get(f"{base_url}/jobs/{job_id}"))["job"]
    print(f"job {job_id}: {job['status']} {round(job['progress'] * 100)}%")
if job["status"] != "success":
    raise SystemExit(f"job {job['status']}: {job.get('error')}")

asset = check(session.get(f"{base_url}/assets/{job['metadata']['assetIds'][0]}"))["asset"]
svg = requests.get(asset["url"])  # a signed URL: no auth
svg.raise_for_status()
with open(out_path, "wb") as f:
    f.write(svg.content)
print(f"wrote {out_path} ({asset['properties']['width']}x{asset['properties']['height']}, {len(svg.content)} bytes)")
