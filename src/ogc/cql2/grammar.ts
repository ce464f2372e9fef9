/**
 * CQL2 text (OGC 21-065r2, CQL2 1.0.0) as a peggy grammar, written from the standard's own BNF
 * (cql2.bnf, "1.0.0 (final release)", 02-JUL-2024), rule for rule and in its order, with the changes
 * a PEG needs:
 * - ordered choice: alternatives that can start alike are tried longest first (an arithmetic
 *   expression before a single number, a function before a property name);
 * - no left recursion: an IS NULL operand that is a whole boolean expression must be in parentheses;
 * - keywords are matched case-insensitively, never as part of a longer name, and are not property
 *   names unless double-quoted;
 * - whitespace is allowed between tokens (the BNF leaves it implicit).
 *
 * The parse result is the CQL2-JSON form of the expression (Annex: cql2.json), so a filter in either
 * encoding reaches the same translator. Functions the BNF does not name (such as S_DWITHIN) parse as
 * `{ op, args }` like any function; the translator decides what it supports.
 */
export const CQL2_TEXT_GRAMMAR = String.raw`
{{
  function chain(op, head, tail) {
    return tail.length ? { op, args: [head, ...tail] } : head;
  }
  function negated(not, node) {
    return not ? { op: 'not', args: [node] } : node;
  }
}}

Start
  = _ e:BooleanExpression _ { return e; }

// booleanExpression = booleanTerm [ {"OR" booleanTerm} ];
BooleanExpression
  = head:BooleanTerm tail:(_ OR _ t:BooleanTerm { return t; })* { return chain('or', head, tail); }

// booleanTerm = booleanFactor [ {"AND" booleanFactor} ];
BooleanTerm
  = head:BooleanFactor tail:(_ AND _ f:BooleanFactor { return f; })* { return chain('and', head, tail); }

// booleanFactor = ["NOT"] booleanPrimary;
BooleanFactor
  = NOT _ p:BooleanPrimary { return { op: 'not', args: [p] }; }
  / BooleanPrimary

// booleanPrimary = function | predicate | booleanLiteral | "(" booleanExpression ")";
BooleanPrimary
  = Predicate
  / "(" _ e:BooleanExpression _ ")" { return e; }
  / BooleanLiteral
  / Function

// predicate = comparisonPredicate | spatialPredicate | temporalPredicate | arrayPredicate;
Predicate
  = ComparisonPredicate
  / SpatialPredicate
  / TemporalPredicate
  / ArrayPredicate

// comparisonPredicate = binaryComparisonPredicate | isLikePredicate | isBetweenPredicate
//                     | isInListPredicate | isNullPredicate;
ComparisonPredicate
  = BinaryComparisonPredicate
  / IsLikePredicate
  / IsBetweenPredicate
  / IsInListPredicate
  / IsNullPredicate

BinaryComparisonPredicate
  = l:ScalarExpression _ op:ComparisonOperator _ r:ScalarExpression { return { op, args: [l, r] }; }

// scalarExpression = characterClause | numericLiteral | instantInstance | arithmeticExpression
//                  | booleanLiteral | propertyName | function;
// (numbers, property names and functions are the one-operand arithmetic expressions)
ScalarExpression
  = CharacterClause
  / InstantInstance
  / BooleanLiteral
  / ArithmeticExpression

ComparisonOperator "comparison operator"
  = "<>" / "<=" / ">=" / "=" / "<" / ">"

// isLikePredicate = characterExpression ["NOT"] "LIKE" patternExpression;
IsLikePredicate
  = l:CharacterExpression _ not:(NOT _)? LIKE _ p:PatternExpression { return negated(not, { op: 'like', args: [l, p] }); }

// patternExpression = "CASEI" "(" patternExpression ")" | "ACCENTI" "(" patternExpression ")" | characterLiteral;
PatternExpression
  = CASEI _ "(" _ p:PatternExpression _ ")" { return { op: 'casei', args: [p] }; }
  / ACCENTI _ "(" _ p:PatternExpression _ ")" { return { op: 'accenti', args: [p] }; }
  / CharacterLiteral

// isBetweenPredicate = numericExpression ["NOT"] "BETWEEN" numericExpression "AND" numericExpression;
IsBetweenPredicate
  = v:NumericExpression _ not:(NOT _)? BETWEEN _ lo:NumericExpression _ AND _ hi:NumericExpression {
      return negated(not, { op: 'between', args: [v, lo, hi] });
    }

// numericExpression = arithmeticExpression | numericLiteral | propertyName | function;
NumericExpression
  = ArithmeticExpression

// isInListPredicate = scalarExpression ["NOT"] "IN" "(" inList ")";
IsInListPredicate
  = v:ScalarExpression _ not:(NOT _)? IN _ "(" _ list:InList _ ")" { return negated(not, { op: 'in', args: [v, list] }); }

// inList = scalarExpression [ {"," scalarExpression} ];
InList
  = head:ScalarExpression tail:(_ "," _ e:ScalarExpression { return e; })* { return [head, ...tail]; }

// isNullPredicate = isNullOperand "IS" ["NOT"] "NULL";
IsNullPredicate
  = v:IsNullOperand _ IS _ not:(NOT _)? NULL { return negated(not, { op: 'isNull', args: [v] }); }

// isNullOperand = characterClause | numericLiteral | temporalInstance | spatialInstance
//               | arithmeticExpression | booleanExpression | propertyName | function;
IsNullOperand
  = CharacterClause
  / TemporalInstance
  / SpatialInstance
  / BooleanLiteral
  / ArithmeticExpression
  / "(" _ e:BooleanExpression _ ")" { return e; }

// spatialPredicate = spatialFunction "(" geomExpression "," geomExpression ")";
SpatialPredicate
  = f:SpatialFunction _ "(" _ a:GeomExpression _ "," _ b:GeomExpression _ ")" { return { op: f, args: [a, b] }; }

SpatialFunction "spatial function"
  = name:("S_INTERSECTS"i / "S_EQUALS"i / "S_DISJOINT"i / "S_TOUCHES"i / "S_WITHIN"i / "S_OVERLAPS"i / "S_CROSSES"i / "S_CONTAINS"i)
    !IdentifierPart { return name.toLowerCase(); }

// geomExpression = spatialInstance | propertyName | function;
GeomExpression
  = SpatialInstance
  / Function
  / PropertyName

// temporalPredicate = temporalFunction "(" temporalExpression "," temporalExpression ")";
TemporalPredicate
  = f:TemporalFunction _ "(" _ a:TemporalExpression _ "," _ b:TemporalExpression _ ")" { return { op: f, args: [a, b] }; }

TemporalExpression
  = TemporalInstance
  / Function
  / PropertyName

TemporalFunction "temporal function"
  = name:("T_AFTER"i / "T_BEFORE"i / "T_CONTAINS"i / "T_DISJOINT"i / "T_DURING"i / "T_EQUALS"i / "T_FINISHEDBY"i
    / "T_FINISHES"i / "T_INTERSECTS"i / "T_MEETS"i / "T_METBY"i / "T_OVERLAPPEDBY"i / "T_OVERLAPS"i / "T_STARTEDBY"i
    / "T_STARTS"i) !IdentifierPart { return name.toLowerCase(); }

// arrayPredicate = arrayFunction "(" arrayExpression "," arrayExpression ")";
ArrayPredicate
  = f:ArrayFunction _ "(" _ a:ArrayExpression _ "," _ b:ArrayExpression _ ")" { return { op: f, args: [a, b] }; }

ArrayExpression
  = Array
  / Function
  / PropertyName

// array = "(" ")" | "(" arrayElement [ { "," arrayElement } ] ")";
Array
  = "(" _ ")" { return []; }
  / "(" _ head:ArrayElement tail:(_ "," _ e:ArrayElement { return e; })* _ ")" { return [head, ...tail]; }

ArrayElement
  = CharacterClause
  / TemporalInstance
  / SpatialInstance
  / Array
  / BooleanLiteral
  / ArithmeticExpression

ArrayFunction "array function"
  = name:("A_EQUALS"i / "A_CONTAINS"i / "A_CONTAINEDBY"i / "A_OVERLAPS"i) !IdentifierPart { return name.toLowerCase(); }

// arithmeticExpression = arithmeticTerm [ {arithmeticOperatorPlusMinus arithmeticTerm} ];
ArithmeticExpression
  = head:ArithmeticTerm tail:(_ op:("+" / "-") _ t:ArithmeticTerm { return [op, t]; })* {
      return tail.reduce((l, [op, r]) => ({ op, args: [l, r] }), head);
    }

// arithmeticTerm = powerTerm [ {arithmeticOperatorMultDiv powerTerm} ];
ArithmeticTerm
  = head:PowerTerm tail:(_ op:("*" / "/" / "%" / DIV) _ t:PowerTerm { return [op.toLowerCase(), t]; })* {
      return tail.reduce((l, [op, r]) => ({ op, args: [l, r] }), head);
    }

// powerTerm = arithmeticFactor [ "^" arithmeticFactor ];
PowerTerm
  = b:ArithmeticFactor e:(_ "^" _ f:ArithmeticFactor { return f; })? { return e === null ? b : { op: '^', args: [b, e] }; }

// arithmeticFactor = "(" arithmeticExpression ")" | [ "-" ] arithmeticOperand;
ArithmeticFactor
  = "(" _ e:ArithmeticExpression _ ")" { return e; }
  / "-" _ o:ArithmeticOperand { return typeof o === 'number' ? -o : { op: '*', args: [-1, o] }; }
  / ArithmeticOperand

// arithmeticOperand = numericLiteral | propertyName | function;
ArithmeticOperand
  = NumericLiteral
  / Function
  / PropertyName

// propertyName = identifier | "\"" identifier "\"";
PropertyName "property name"
  = '"' id:Identifier '"' { return { property: id }; }
  / !Reserved id:Identifier { return { property: id }; }

Identifier
  = $(IdentifierStart IdentifierPart*)

IdentifierPart
  = IdentifierStart
  / [.0-9\u0300-\u036F\u203F-\u2040]

IdentifierStart
  = [:_A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFE\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]
  / [\u{10000}-\u{EFFFF}]u

// function = identifier "(" {argumentList} ")";
Function "function"
  = !InstantKeyword name:Identifier _ "(" _ args:ArgumentList? _ ")" { return { op: name.toLowerCase(), args: args ?? [] }; }

ArgumentList
  = head:Argument tail:(_ "," _ a:Argument { return a; })* { return [head, ...tail]; }

// argument = characterClause | numericLiteral | temporalInstance | spatialInstance | array
//          | arithmeticExpression | booleanExpression | propertyName | function;
// (a boolean expression only when it is the whole argument)
Argument
  = e:BooleanExpression &(_ ("," / ")")) { return e; }
  / CharacterClause
  / TemporalInstance
  / SpatialInstance
  / Array
  / BooleanLiteral
  / ArithmeticExpression

// characterExpression = characterClause | propertyName | function;
CharacterExpression
  = CharacterClause
  / Function
  / PropertyName

// characterClause = "CASEI" "(" characterExpression ")" | "ACCENTI" "(" characterExpression ")" | characterLiteral;
CharacterClause
  = CASEI _ "(" _ e:CharacterExpression _ ")" { return { op: 'casei', args: [e] }; }
  / ACCENTI _ "(" _ e:CharacterExpression _ ")" { return { op: 'accenti', args: [e] }; }
  / CharacterLiteral

// characterLiteral = "'" [ {character} ] "'";   escapeQuote = "''" | "\\'";
CharacterLiteral "character literal"
  = "'" chars:("''" { return "'"; } / "\\'" { return "'"; } / [^'])* "'" { return chars.join(''); }

// numericLiteral = unsignedNumericLiteral | signedNumericLiteral;
NumericLiteral "number"
  = text:$(Sign? UnsignedNumber) { return Number(text); }

SignedNumber "number"
  = text:$(Sign? UnsignedNumber) { return Number(text); }

UnsignedNumber
  = Decimal ("E"i Sign? Digits)?

Decimal
  = Digits ("." Digits?)?
  / "." Digits

Digits
  = [0-9]+

Sign
  = "+" / "-"

// booleanLiteral = "TRUE" | "FALSE";
BooleanLiteral "boolean"
  = TRUE { return true; }
  / FALSE { return false; }

// spatialInstance = geometryLiteral | geometryCollectionTaggedText | bboxTaggedText;
SpatialInstance "geometry"
  = GeometryLiteral
  / GeometryCollectionTaggedText
  / BboxTaggedText

GeometryLiteral
  = PointTaggedText
  / LineStringTaggedText
  / PolygonTaggedText
  / MultiPointTaggedText
  / MultiLineStringTaggedText
  / MultiPolygonTaggedText

PointTaggedText
  = "POINT"i !IdentifierPart Z? _ c:PointText { return { type: 'Point', coordinates: c }; }

LineStringTaggedText
  = "LINESTRING"i !IdentifierPart Z? _ c:LineStringText { return { type: 'LineString', coordinates: c }; }

PolygonTaggedText
  = "POLYGON"i !IdentifierPart Z? _ c:PolygonText { return { type: 'Polygon', coordinates: c }; }

MultiPointTaggedText
  = "MULTIPOINT"i !IdentifierPart Z? _ c:MultiPointText { return { type: 'MultiPoint', coordinates: c }; }

MultiLineStringTaggedText
  = "MULTILINESTRING"i !IdentifierPart Z? _ c:MultiLineStringText { return { type: 'MultiLineString', coordinates: c }; }

MultiPolygonTaggedText
  = "MULTIPOLYGON"i !IdentifierPart Z? _ c:MultiPolygonText { return { type: 'MultiPolygon', coordinates: c }; }

GeometryCollectionTaggedText
  = "GEOMETRYCOLLECTION"i !IdentifierPart Z? _ "(" _ head:GeometryLiteral tail:(_ "," _ g:GeometryLiteral { return g; })* _ ")" {
      return { type: 'GeometryCollection', geometries: [head, ...tail] };
    }

Z
  = _ "Z"i !IdentifierPart

// pointText = "(" point ")";   point = xCoord yCoord [zCoord];
PointText
  = "(" _ p:Point _ ")" { return p; }

Point
  = x:SignedNumber __ y:SignedNumber z:(__ n:SignedNumber { return n; })? { return z === null ? [x, y] : [x, y, z]; }

// lineStringText = "(" point "," point {"," point} ")";
LineStringText
  = "(" _ head:Point tail:(_ "," _ p:Point { return p; })+ _ ")" { return [head, ...tail]; }

// linearRingText = "(" point "," point "," point "," point {"," point } ")";
LinearRingText
  = "(" _ a:Point _ "," _ b:Point _ "," _ c:Point tail:(_ "," _ p:Point { return p; })+ _ ")" { return [a, b, c, ...tail]; }

// polygonText = "(" linearRingText {"," linearRingText} ")";
PolygonText
  = "(" _ head:LinearRingText tail:(_ "," _ r:LinearRingText { return r; })* _ ")" { return [head, ...tail]; }

// multiPointText = "(" pointText {"," pointText} ")";  (bare points, as WKT also writes them, too)
MultiPointText
  = "(" _ head:MultiPointMember tail:(_ "," _ p:MultiPointMember { return p; })* _ ")" { return [head, ...tail]; }

MultiPointMember
  = PointText
  / Point

MultiLineStringText
  = "(" _ head:LineStringText tail:(_ "," _ l:LineStringText { return l; })* _ ")" { return [head, ...tail]; }

MultiPolygonText
  = "(" _ head:PolygonText tail:(_ "," _ p:PolygonText { return p; })* _ ")" { return [head, ...tail]; }

// bboxText = "(" westBoundLon "," southBoundLat "," [minElev ","] eastBoundLon "," northBoundLat ["," maxElev] ")";
BboxTaggedText
  = "BBOX"i !IdentifierPart _ "(" _ head:SignedNumber tail:(_ "," _ n:SignedNumber { return n; })|3..5| _ ")" {
      const bbox = [head, ...tail];
      if (bbox.length === 5) error('BBOX takes four numbers, or six with heights');
      return { bbox };
    }

// temporalInstance = instantInstance | intervalInstance;
TemporalInstance
  = InstantInstance
  / IntervalInstance

InstantInstance
  = DateInstant
  / TimestampInstant

DateInstant "DATE('YYYY-MM-DD')"
  = DATE _ "(" _ d:DateInstantString _ ")" { return { date: d }; }

DateInstantString
  = "'" d:$FullDate "'" { return d; }

TimestampInstant "TIMESTAMP('YYYY-MM-DDThh:mm:ssZ')"
  = TIMESTAMP _ "(" _ t:TimestampInstantString _ ")" { return { timestamp: t }; }

TimestampInstantString
  = "'" t:$(FullDate "T" UtcTime) "'" { return t; }

IntervalInstance "INTERVAL(start, end)"
  = INTERVAL _ "(" _ a:InstantParameter _ "," _ b:InstantParameter _ ")" { return { interval: [a, b] }; }

InstantParameter
  = TimestampInstantString
  / DateInstantString
  / "'..'" { return '..'; }
  / Function
  / PropertyName

FullDate
  = [0-9][0-9][0-9][0-9] "-" [0-9][0-9] "-" [0-9][0-9]

UtcTime
  = [0-9][0-9] ":" [0-9][0-9] ":" [0-9][0-9] ("." [0-9]+)? "Z"

// Keywords: case-insensitive, whole words.
AND = "AND"i !IdentifierPart
OR = "OR"i !IdentifierPart
NOT = "NOT"i !IdentifierPart
LIKE = "LIKE"i !IdentifierPart
BETWEEN = "BETWEEN"i !IdentifierPart
IN = "IN"i !IdentifierPart
IS = "IS"i !IdentifierPart
NULL = "NULL"i !IdentifierPart
TRUE = "TRUE"i !IdentifierPart
FALSE = "FALSE"i !IdentifierPart
DIV = "DIV"i !IdentifierPart { return 'div'; }
CASEI = "CASEI"i !IdentifierPart
ACCENTI = "ACCENTI"i !IdentifierPart
DATE = "DATE"i !IdentifierPart
TIMESTAMP = "TIMESTAMP"i !IdentifierPart
INTERVAL = "INTERVAL"i !IdentifierPart

InstantKeyword
  = DATE / TIMESTAMP / INTERVAL

Reserved
  = AND / OR / NOT / LIKE / BETWEEN / IN / IS / NULL / TRUE / FALSE / DIV

// whitespace (the BNF's list)
_ "whitespace"
  = [ \t\n\v\f\r\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*

__ "whitespace"
  = [ \t\n\v\f\r\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+
`;
