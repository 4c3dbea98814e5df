#!/bin/sh
# Action items of incident #1, written by debrief.
# Run it in the repository's folder, or with GH_REPO=owner/name set.
# The labels must exist in the repository (gh label create NAME).
set -eu

gh issue create \
  --title 'Alert when a pinned CA expires within 30 days' \
  --body 'From the postmortem of incident #1: Checkout failed for EU shoppers
Answers the cause: Nobody is told when the gateway rotates
Answers the factor: Pinned CA bundle
Owner: Mei Lin
Due: 2025-04-18' \
  --label postmortem \
  --label incident-1 \
  --label detect
gh issue create \
  --title 'Alert on payment error rate over 2%' \
  --body 'From the postmortem of incident #1: Checkout failed for EU shoppers
Answers the cause: Errors were not alerted on
Owner: sre
Due: 2025-04-04' \
  --label postmortem \
  --label incident-1 \
  --label detect
gh issue create \
  --title 'Improve vendor communication' \
  --body 'From the postmortem of incident #1: Checkout failed for EU shoppers
Proposal: for the owning team to weigh before committing.' \
  --label postmortem \
  --label incident-1 \
  --label process \
  --label proposal
