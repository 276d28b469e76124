# A client written the way the hosted API's docs show it (Python, requests), for the compatibility tests:
# the test changes only BASE_URL and the two credential placeholders. Reads image.png, writes output.svg.
import base64
import time

import requests

API_KEY = "YOUR_API_KEY"
API_SECRET = "YOUR_API_SECRET"
BASE_URL = "https://api.cloud.scenario.com/v1"

credentials = base64.b64encode(f"{API_KEY}:{API_SECRET}".encode()).decode()
headers = {"Authorization": f"Basic {credentials}", "Content-Type": "application/json"}

# 1. Upload the image as an asset (bare base64, as the docs show)
with open("image.png", "rb") as f:
    image_b64 = base64.b64encode(f.read()).decode()
response = requests.post(f"{BASE_URL}/assets", headers=headers, json={"image": image_b64, "name": "image.png"})
response.raise_for_status()
asset_id = response.json()["asset"]["id"]

# 2. Generate with the asset id
payload = {"image": asset_id, "presetName": "custom", "colorMode": "color", "filterSpeckle": 4, "mode": "spline"}
response = requests.post(f"{BASE_URL}/generate/custom/model_visioncortex-vtracer", headers=headers, json=payload)
response.raise_for_status()
job_id = response.json()["job"]["jobId"]
print(f"job {job_id} created")

# 3. Poll the job until it ends
while True:
    job = requests.get(f"{BASE_URL}/jobs/{job_id}", headers=headers).json()["job"]
    if job["status"] in ("success", "failure", "canceled"):
        break
    time.sleep(0.5)
if job["status"] != "success":
    raise SystemExit(f"job {job['status']}: {job.get('error')}")

# 4. The output asset, and its file from the asset's url
asset = requests.get(f"{BASE_URL}/assets/{job['metadata']['assetIds'][0]}", headers=headers).json()["asset"]
svg = requests.get(asset["url"])
svg.raise_for_status()
with open("output.svg", "wb") as f:
    f.write(svg.content)
print(f"job {job_id}: {job['status']}, {asset['mimeType']}, {len(svg.content)} bytes")
