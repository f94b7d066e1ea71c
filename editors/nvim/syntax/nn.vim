" Syntax highlighting for .nn files (nnc). The language server adds diagnostics and shapes.
if exists('b:current_syntax')
  finish
endif
syntax keyword nnKeyword model block input data train on sweep in
syntax keyword nnLayer linear conv2d maxpool avgpool global_avgpool flatten batchnorm dropout
syntax keyword nnLayer relu sigmoid tanh gelu swish softmax leaky_relu identity concat
syntax keyword nnConstant true false same valid
syntax match nnComment "#.*$"
syntax match nnNumber "\<\d\+\(\.\d*\)\=\([eE][+-]\=\d\+\)\=\>"
syntax match nnNumber "\.\d\+\([eE][+-]\=\d\+\)\=\>"
syntax region nnString start=+"+ skip=+\\.+ end=+"+ oneline
syntax match nnOperator "->\||\|+\|="
highlight default link nnKeyword Keyword
highlight default link nnLayer Function
highlight default link nnConstant Constant
highlight default link nnComment Comment
highlight default link nnNumber Number
highlight default link nnString String
highlight default link nnOperator Operator
let b:current_syntax = 'nn'
