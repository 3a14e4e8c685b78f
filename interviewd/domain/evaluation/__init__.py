"""Answer evaluation: the built-in evaluator and the LLM path behind one service."""
