"""Writing: every file qingdan makes, all or none, through temporaries renamed into place;
Ctrl-C and SIGTERM held over the renames."""
