# The hosted API's docs as curl lines, for the compatibility tests: the test changes only BASE_URL and the
# two credential placeholders, and passes the ids each step needs. Each function is one documented call.
BASE_URL="https://api.cloud.scenario.com/v1"

upload() { # upload IMAGE_BASE64_FILE
  curl -s -X POST "$BASE_URL/assets" \
    -H "Authorization: Basic $(echo -n 'YOUR_API_KEY:YOUR_API_SECRET' | base64)" \
    -H "Content-Type: application/json" \
    -d "{\"image\": \"$(cat "$1")\", \"name\": \"image.png\"}"
}

generate() { # generate ASSET_ID
  curl -s -X POST "$BASE_URL/generate/custom/model_visioncortex-vtracer" \
    -H "Authorization: Basic $(echo -n 'YOUR_API_KEY:YOUR_API_SECRET' | base64)" \
    -H "Content-Type: application/json" \
    -d "{\"image\": \"$1\", \"presetName\": \"poster\"}"
}

job() { # job JOB_ID
  curl -s -X GET "$BASE_URL/jobs/$1" \
    -H "Authorization: Basic $(echo -n 'YOUR_API_KEY:YOUR_API_SECRET' | base64)"
}

asset() { # asset ASSET_ID
  curl -s -X GET "$BASE_URL/assets/$1" \
    -H "Authorization: Basic $(echo -n 'YOUR_API_KEY:YOUR_API_SECRET' | base64)"
}
