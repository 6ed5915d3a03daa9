"""Getting articles in: files, stdin, HTML; cleaning; outlets."""
