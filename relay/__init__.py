"""Items, hops and deliveries between the tiers: routing, approvals, the outbox dispatcher and deadline jobs."""
