"""The domain: judgement rules, district profiles, geography, reference places and area codes; pure
functions and typed records over the store's rows."""
