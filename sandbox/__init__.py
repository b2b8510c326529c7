"""The WeCom / Official Account emulator and its phone side, for the demo and the tests."""
