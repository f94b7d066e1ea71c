// The .nn language. This file is the reference grammar; docs/language.md explains each
// construct with an example. Grammar only: no actions, no predicates.
//
// Newlines (or ';') end statements inside `{ ... }`. The compiler's token filter
// (compiler/syntax/NewlineFilter) removes the newlines that cannot end a statement:
// inside ( ) and [ ], after an operator or comma, before a line that starts with `->`
// or `|`, and between top-level declarations. So the parser only ever sees NL as a
// separator between statements or settings.
grammar Nn;

program     : decl* EOF ;

decl        : modelDecl
            | blockDecl
            | dataDecl
            | trainDecl
            | sweepDecl
            ;

// ---- networks ----------------------------------------------------------------------

modelDecl   : 'model' name=ID paramList? body ;
blockDecl   : 'block' name=ID paramList? body ;

paramList   : '(' (param (',' param)*)? ')' ;
param       : name=ID ('=' value)? ;

body        : '{' (stmt (NL stmt)*)? '}' ;

stmt        : 'input' name=ID (':' shape)?          # inputStmt
            | name=ID '=' pipeline                   # assignStmt
            | pipeline                               # exprStmt
            ;

// `a -> f -> g` pipes a value through layers; `+` adds two values (a residual
// connection) and binds tighter than `->`, so `x + y -> relu` is `(x + y) -> relu`.
pipeline    : operand stage* ;
stage       : '->' call (':' shape)? ;

operand     : left=operand '+' right=operand         # addOperand
            | '(' pipeline ')'                       # parenOperand
            | call                                   # callOperand
            ;

call        : name=ID ('(' argList? ')')? ;
argList     : arg (',' arg)* ;
arg         : (name=ID ':')? value ;

shape       : '[' (value (',' value)*)? ']' ;

// Compile-time values: numbers, strings, names (parameters, options such as `same`),
// lists, calls such as `normal(0.01)`, and arithmetic on them.
value       : '-' value                              # negValue
            | left=value op=('*' | '/') right=value  # mulValue
            | left=value op=('+' | '-') right=value  # addValue
            | NUMBER                                 # numberValue
            | STRING                                 # stringValue
            | call                                   # callValue
            | '[' (value (',' value)*)? ']'          # listValue
            | '(' value ')'                          # parenValue
            ;

// ---- data, training, sweeps ----------------------------------------------------------

dataDecl    : 'data' name=ID '=' source=call ('|' call)* ;

trainDecl   : 'train' model=call 'on' data=ID settings ;
settings    : '{' (setting (NL setting)*)? '}' ;
setting     : key=ID (arg (',' arg)*)? ;

sweepDecl   : 'sweep' model=ID axes ;
axes        : '{' (axis (NL axis)*)? '}' ;
axis        : name=ID 'in' '[' value (',' value)* ']' ;

// ---- tokens --------------------------------------------------------------------------

NUMBER      : DIGITS ('.' DIGITS?)? EXPONENT?
            | '.' DIGITS EXPONENT?
            ;
STRING      : '"' (~["\\\r\n] | '\\' .)* '"' ;
ID          : [a-zA-Z_] [a-zA-Z_0-9]* ;
// A line break, or ';' to put two statements or settings on one line.
NL          : '\r'? '\n' | ';' ;
COMMENT     : '#' ~[\r\n]* -> skip ;
WS          : [ \t]+ -> skip ;
// Anything else becomes a one-character token, so the parser (not the lexer) reports it
// with an "unexpected" message and a position.
OTHER       : . ;

fragment DIGITS   : [0-9]+ ;
fragment EXPONENT : [eE] [+-]? DIGITS ;
