"""What a chat needs remembered and looked up: the flow a chat is in, what a message replied to."""
