"""Background loops (the relay, the consumers): one retry loop, one runner, leadership among replicas."""
