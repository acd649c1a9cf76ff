"""The half of Twilio that calls the user's app: signatures, TwiML checks (UI-free, no server stack)."""
