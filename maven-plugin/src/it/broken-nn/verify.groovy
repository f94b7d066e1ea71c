// The build failed on the .nn error, reported in the form IDEs link and in nnc's own form.
def log = new File(basedir, 'build.log').text
def nn = new File(basedir, 'src/main/nn/broken.nn').canonicalPath
assert log.contains(nn + ":[4,24] unknown layer 'rlu'") : "no file:[line,col] error in the log"
assert log.contains(nn + ":4:24: error: unknown layer 'rlu'") : "no file:line:col error in the log"
assert log.contains("nnc: 1 error in .nn files; first: " + nn + ":4:24: unknown layer 'rlu'")
assert !log.contains("\tat ") : "a stack trace in the log"
return true
