#!/usr/bin/env bash
# Deploy nl2sql to Cloud Run: build the image, migrate the state database, roll out
# the service, the report job and its Cloud Scheduler trigger (docs/deploy.md).
#
#   PROJECT_ID=my-project REGION=europe-west1 SQL_INSTANCE=nl2sql-pg \
#     deploy/cloudrun/deploy.sh
#
# One-time setup (service accounts, secrets, Cloud SQL, the bucket, the load balancer
# and IAP) is in docs/deploy.md; this script is what every release runs.
set -euo pipefail

: "${PROJECT_ID:?set PROJECT_ID}" "${REGION:?set REGION}" "${SQL_INSTANCE:?set SQL_INSTANCE}"
TAG="${TAG:-$(git rev-parse --short HEAD)}"
IMAGE="${IMAGE:-$REGION-docker.pkg.dev/$PROJECT_ID/nl2sql/nl2sql:$TAG}"
BACKEND_SERVICE="${BACKEND_SERVICE:-nl2sql-backend}"
SCHEDULER_SA="nl2sql-scheduler@$PROJECT_ID.iam.gserviceaccount.com"
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

PROJECT_NUMBER="$(gcloud projects describe "$PROJECT_ID" --format='value(projectNumber)')"
BACKEND_SERVICE_ID="$(gcloud compute backend-services describe "$BACKEND_SERVICE" --global \
  --project "$PROJECT_ID" --format='value(id)')"

# The manifests with their placeholders filled in.
render() {
  sed -e "s|PROJECT_ID|$PROJECT_ID|g" -e "s|PROJECT_NUMBER|$PROJECT_NUMBER|g" \
      -e "s|REGION|$REGION|g" -e "s|SQL_INSTANCE|$SQL_INSTANCE|g" -e "s|IMAGE|$IMAGE|g" \
      -e "s|BACKEND_SERVICE_ID|$BACKEND_SERVICE_ID|g" "$HERE/$1" > "$OUT/$1"
  echo "$OUT/$1"
}

# 1. The image: the Dockerfile builds the wheel and installs it pinned (constraints.txt).
gcloud builds submit --project "$PROJECT_ID" --tag "$IMAGE" "$HERE/../.."

# 2. Migrations before any new revision serves: `nl2sql db upgrade`, waited for.
gcloud run jobs replace "$(render job-db-upgrade.yaml)" --project "$PROJECT_ID" --region "$REGION"
gcloud run jobs execute nl2sql-db-upgrade --wait --project "$PROJECT_ID" --region "$REGION"

# 3. The service. Ingress is the load balancer only, which puts IAP in front of
#    everything but /slack/* (Slack signs its requests); so Cloud Run itself lets
#    the load balancer's unauthenticated requests through.
gcloud run services replace "$(render service.yaml)" --project "$PROJECT_ID" --region "$REGION"
gcloud run services add-iam-policy-binding nl2sql --member=allUsers --role=roles/run.invoker \
  --project "$PROJECT_ID" --region "$REGION"

# 4. Scheduled reports: the job, and Cloud Scheduler executing it every minute.
gcloud run jobs replace "$(render job-report-due.yaml)" --project "$PROJECT_ID" --region "$REGION"
gcloud run jobs add-iam-policy-binding nl2sql-report-due --member="serviceAccount:$SCHEDULER_SA" \
  --role=roles/run.invoker --project "$PROJECT_ID" --region "$REGION"
action=create
if gcloud scheduler jobs describe nl2sql-report-due --location "$REGION" \
     --project "$PROJECT_ID" >/dev/null 2>&1; then
  action=update
fi
gcloud scheduler jobs "$action" http nl2sql-report-due \
  --project "$PROJECT_ID" --location "$REGION" \
  --schedule "* * * * *" --time-zone "Etc/UTC" \
  --uri "https://run.googleapis.com/v2/projects/$PROJECT_ID/locations/$REGION/jobs/nl2sql-report-due:run" \
  --http-method POST \
  --oauth-service-account-email "$SCHEDULER_SA"
