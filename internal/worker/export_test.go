package worker

// ThreadNice is the calling thread's niceness (Linux only).
var ThreadNice = threadNice
