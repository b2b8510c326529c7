"""What travels on the wire: callback crypto, safe XML/JSON envelopes, byte limits, errcodes."""
