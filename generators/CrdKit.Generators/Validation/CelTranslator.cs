using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CrdKit.Generators.Emitting;
using CrdKit.Generators.Model;

namespace CrdKit.Generators.Validation;

/// <summary>
/// Translates one CEL rule into a C# boolean expression over the generated record. A field the rule reads that is
/// unset and has no schema default makes the rule unchecked rather than failed (a guard), so a translation never
/// reports a violation the API server would not; <c>has()</c> reads presence and needs no guard.
/// </summary>
internal sealed class CelTranslator
{
    private const string Functions = "global::CrdKit.Validation.CelFunctions";
    private static readonly TypeRef NullType = new(RefKind.Json, "null", null);
    private static readonly TypeRef IpType = new(RefKind.Known, "cel:ip", null);
    private static readonly TypeRef CidrType = new(RefKind.Known, "cel:cidr", null);

    /// <summary>A CEL duration, held as nanoseconds in a <c>long</c> (Go's time.Duration).</summary>
    private static readonly TypeRef DurationType = new(RefKind.Known, "cel:duration", null);

    /// <summary>A CEL timestamp, held as nanoseconds since 1970 in a <c>long</c> (so timestamp - timestamp is a duration).</summary>
    private static readonly TypeRef TimestampType = new(RefKind.Known, "cel:timestamp", null);

    /// <summary>A Kubernetes quantity, held exactly as a count of nano-units in a <c>BigInteger</c>.</summary>
    private static readonly TypeRef QuantityType = new(RefKind.Known, "cel:quantity", null);

    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if", "import",
        "let", "loop", "package", "namespace", "return", "var", "void", "while",
    };

    private readonly Func<string, RecordPlan?> records;
    private readonly Func<string, EnumPlan?> enums;
    private readonly Stack<List<string>> guards = new();
    private readonly Dictionary<string, (string Code, TypeRef Type)> variables = new(StringComparer.Ordinal);

    public CelTranslator(Func<string, RecordPlan?> records, Func<string, EnumPlan?> enums)
    {
        this.records = records;
        this.enums = enums;
    }

    /// <summary>
    /// Returns a C# expression that is true when the rule holds (or cannot be decided because a field it reads
    /// is unset); throws <see cref="CelUnsupportedException"/> for anything outside the subset.
    /// </summary>
    public string Translate(string rule, string selfCode, TypeRef selfType)
    {
        var expr = CelParser.Parse(rule);
        variables.Clear();
        variables["self"] = (selfCode, selfType);
        guards.Clear();
        guards.Push(new List<string>());
        var result = Translate(expr);
        RequireBool(result.Type, "the rule");
        return Guarded(guards.Pop(), result.Code);
    }

    private static string Guarded(List<string> scope, string code) =>
        scope.Count == 0 ? code : $"(!({string.Join(" && ", scope.Distinct())}) || {code})";

    private static string? Conjunction(List<string> scope) => scope.Count == 0 ? null : "(" + string.Join(" && ", scope.Distinct()) + ")";

    private (string Code, TypeRef Type) Translate(CelExpr expr)
    {
        switch (expr)
        {
            case CelLiteral literal:
                return Literal(literal.Value);
            case CelIdent ident:
                if (variables.TryGetValue(ident.Name, out var variable))
                {
                    return variable;
                }

                throw new CelUnsupportedException(ident.Name == "oldSelf" ? "transition rule" : $"unknown identifier '{ident.Name}'");
            case CelSelect select:
                return Select(select);
            case CelCall call:
                return Call(call);
            case CelUnary unary:
                var operand = Translate(unary.Operand);
                if (unary.Op == "!")
                {
                    RequireBool(operand.Type, "'!'");
                    return ($"!{operand.Code}", TypeRef.Boolean);
                }

                RequireNumber(operand.Type, "'-'");
                return ($"(-{operand.Code})", operand.Type);
            case CelBinary binary:
                return Binary(binary);
            case CelConditional conditional:
                var condition = Translate(conditional.Condition);
                RequireBool(condition.Type, "'?:'");

                // Each branch's guards matter only when that branch is taken: CEL never evaluates the other one.
                guards.Push(new List<string>());
                var then = Translate(conditional.Then);
                var thenGuard = Conjunction(guards.Pop());
                guards.Push(new List<string>());
                var otherwise = Translate(conditional.Else);
                var elseGuard = Conjunction(guards.Pop());
                if (!SameKind(then.Type, otherwise.Type))
                {
                    throw new CelUnsupportedException("the branches of '?:' have different types");
                }

                if (thenGuard is not null || elseGuard is not null)
                {
                    guards.Peek().Add($"({condition.Code} ? {thenGuard ?? "true"} : {elseGuard ?? "true"})");
                }

                return ($"({condition.Code} ? {then.Code} : {otherwise.Code})", then.Type);
            case CelIndex { Target: CelMap map } lookup:
                return MapLookup(map, lookup.Index);
            case CelIndex index:
                var target = Translate(index.Target);
                var key = Translate(index.Index);
                if (target.Type.Kind == RefKind.Map && key.Type.Kind == RefKind.String)
                {
                    guards.Peek().Add($"{target.Code}.ContainsKey({key.Code})");
                    return ($"{target.Code}[{key.Code}]", target.Type.Element!);
                }

                if (target.Type.Kind == RefKind.List && IsInteger(key.Type))
                {
                    guards.Peek().Add($"{key.Code} >= 0 && {key.Code} < {target.Code}.Count");
                    return ($"{target.Code}[(int){key.Code}]", target.Type.Element!);
                }

                throw new CelUnsupportedException("indexing is supported on maps by string and lists by integer only");
            case CelList list:
                var items = list.Items.Select(Translate).ToList();
                if (items.Count == 0 || items.Any(i => !SameKind(i.Type, items[0].Type)))
                {
                    throw new CelUnsupportedException("list literals must be non-empty and of one type");
                }

                var listType = new TypeRef(RefKind.List, string.Empty, items[0].Type);
                return ($"new global::System.Collections.Generic.List<{items[0].Type.CSharp}> {{ {string.Join(", ", items.Select(i => i.Code))} }}", listType);
            default:
                throw new CelUnsupportedException("unsupported expression");
        }
    }

    private (string Code, TypeRef Type) Literal(object? value) => value switch
    {
        null => ("null", NullType),
        bool b => (b ? "true" : "false", TypeRef.Boolean),
        long l => (l.ToString(CultureInfo.InvariantCulture) + "L", TypeRef.Int64),
        double d => (d.ToString("R", CultureInfo.InvariantCulture) + "d", TypeRef.Double),
        string s => (SourceWriter.Literal(s), TypeRef.String),
        _ => throw new CelUnsupportedException("unsupported literal"),
    };

    private (string Code, TypeRef Type) Select(CelSelect select)
    {
        var target = Translate(select.Target);
        var record = target.Type.Kind == RefKind.Record ? records(target.Type.FullName) : null;
        if (record is null)
        {
            throw new CelUnsupportedException($"'.{select.Field}' is read from a value that is not a generated object");
        }

        var field = Unescape(select.Field);
        var property = record.Properties.FirstOrDefault(p => p.WireName == field)
            ?? throw new CelUnsupportedException($"'{field}' is not a field of {record.Name}");
        var access = $"{target.Code}.{property.Name}";
        var nullable = !(property.Required && property.Type.IsValueType);
        if (!nullable)
        {
            return (access, property.Type);
        }

        if (property.Schema.DefaultJson is { } json && DefaultLiteral(json, property.Type) is { } fallback)
        {
            return ($"({access} ?? {fallback})", property.Type);
        }

        guards.Peek().Add($"{access} is not null");
        return (property.Type.IsValueType ? $"{access}.GetValueOrDefault()" : $"{access}!", property.Type);
    }

    private string? DefaultLiteral(string json, TypeRef type) => Defaults.Literal(json, type, enums);

    private string? EnumMember(TypeRef type, string wire)
    {
        var plan = enums(type.FullName);
        var member = plan?.Members.FirstOrDefault(m => m.WireValue == wire);
        return member is null ? null : $"{type.FullName}.{member.Name}";
    }

    private (string Code, TypeRef Type) Has(CelExpr argument)
    {
        if (argument is not CelSelect select)
        {
            throw new CelUnsupportedException("has() takes a field selection such as self.field");
        }

        // Presence, not value: guards for the receiver chain become part of the test instead of skipping it.
        guards.Push(new List<string>());
        var target = Translate(select.Target);
        var scope = guards.Pop();
        var record = target.Type.Kind == RefKind.Record ? records(target.Type.FullName) : null;
        string test;
        if (target.Type.Kind == RefKind.Map)
        {
            test = $"{target.Code}.ContainsKey({SourceWriter.Literal(select.Field)})";
        }
        else if (record is null)
        {
            throw new CelUnsupportedException($"has(.{select.Field}) on a value that is not a generated object");
        }
        else if (record.Properties.FirstOrDefault(p => p.WireName == Unescape(select.Field)) is { } property)
        {
            // The API server applies schema defaults before it runs the rules: a defaulted field is always there.
            test = (property.Required && property.Type.IsValueType) || property.Schema.DefaultJson is not null ? "true" : $"{target.Code}.{property.Name} is not null";
        }
        else
        {
            test = $"({target.Code}.AdditionalProperties?.ContainsKey({SourceWriter.Literal(Unescape(select.Field))}) ?? false)";
        }

        scope.Add(test);
        return ("(" + string.Join(" && ", scope.Distinct()) + ")", TypeRef.Boolean);
    }

    private (string Code, TypeRef Type) Call(CelCall call)
    {
        if (call.Target is null)
        {
            switch (call.Function)
            {
                case "has" when call.Args.Count == 1:
                    return Has(call.Args[0]);
                case "size" when call.Args.Count == 1:
                    return Size(Translate(call.Args[0]));
                case "isIP" when call.Args.Count == 1:
                    return ($"{Functions}.IsIP({String(call.Args[0], "isIP")})", TypeRef.Boolean);
                case "isCIDR" when call.Args.Count == 1:
                    return ($"{Functions}.IsCidr({String(call.Args[0], "isCIDR")})", TypeRef.Boolean);
                case "ip" when call.Args.Count == 1:
                    var ip = String(call.Args[0], "ip");
                    guards.Peek().Add($"{Functions}.IsIP({ip})");
                    return (ip, IpType);
                case "cidr" when call.Args.Count == 1:
                    var cidr = String(call.Args[0], "cidr");
                    guards.Peek().Add($"{Functions}.IsCidr({cidr})");
                    return (cidr, CidrType);
                case "duration" when call.Args.Count == 1:
                    // An unparsable duration is a CEL error: the rule is then not decided here.
                    var text = String(call.Args[0], "duration");
                    guards.Peek().Add($"{Functions}.IsDuration({text})");
                    return ($"{Functions}.Duration({text})", DurationType);
            }

            if (call.Args.Count == 1 && Conversion(call.Function, call.Args[0]) is { } converted)
            {
                return converted;
            }

            throw new CelUnsupportedException($"function '{call.Function}' with {call.Args.Count} argument(s) is not supported");
        }

        if (call.Function is "all" or "exists" or "exists_one" or "filter" or "map")
        {
            return Macro(call);
        }

        if (call.Function == "hasValue" && call.Args.Count == 0 && IsFormatValidation(call.Target))
        {
            return ("!" + FormatValidation(call.Target), TypeRef.Boolean);
        }

        var target = Translate(call.Target);
        switch (call.Function)
        {
            case "size" when call.Args.Count == 0:
                return Size(target);
            case "lowerAscii" or "upperAscii" or "trim" when call.Args.Count == 0 && target.Type.Kind == RefKind.String:
                return ($"{Functions}.{char.ToUpperInvariant(call.Function[0]) + call.Function.Substring(1)}({target.Code})", TypeRef.String);
            case "substring" when call.Args.Count is 1 or 2 && target.Type.Kind == RefKind.String:
                var start = Integer(call.Args[0], "substring");
                var end = call.Args.Count == 2 ? Integer(call.Args[1], "substring") : "-1L";
                guards.Peek().Add($"{Functions}.InRange({target.Code}, {start}, {end})");
                return ($"{Functions}.Substring({target.Code}, {start}, {end})", TypeRef.String);
            case "indexOf" or "lastIndexOf" when call.Args.Count == 1 && target.Type.Kind == RefKind.String:
                return ($"{Functions}.{char.ToUpperInvariant(call.Function[0]) + call.Function.Substring(1)}({target.Code}, {String(call.Args[0], call.Function)})", TypeRef.Int64);
            case "split" when call.Args.Count == 1 && target.Type.Kind == RefKind.String:
                return ($"{Functions}.Split({target.Code}, {String(call.Args[0], "split")})", new TypeRef(RefKind.List, string.Empty, TypeRef.String));
            case "replace" when call.Args.Count == 2 && target.Type.Kind == RefKind.String:
                return ($"{Functions}.Replace({target.Code}, {String(call.Args[0], "replace")}, {String(call.Args[1], "replace")})", TypeRef.String);
            case "join" when call.Args.Count is 0 or 1 && target.Type.Kind == RefKind.List && target.Type.Element!.Kind == RefKind.String:
                return ($"{Functions}.Join({target.Code}, {(call.Args.Count == 0 ? "\"\"" : String(call.Args[0], "join"))})", TypeRef.String);
            case "getHours" or "getMinutes" or "getSeconds" or "getMilliseconds" when call.Args.Count == 0 && target.Type == DurationType:
                // Whole units of the duration, truncated toward zero (Go's Duration.Hours()/... as int).
                var unit = call.Function switch { "getHours" => "3600000000000L", "getMinutes" => "60000000000L", "getSeconds" => "1000000000L", _ => "1000000L" };
                return ($"({target.Code} / {unit})", TypeRef.Int64);
            case "startsWith" or "endsWith" or "contains" when call.Args.Count == 1 && target.Type.Kind == RefKind.String:
                var method = char.ToUpperInvariant(call.Function[0]) + call.Function.Substring(1);
                return ($"{target.Code}.{method}({String(call.Args[0], call.Function)}, global::System.StringComparison.Ordinal)", TypeRef.Boolean);
            case "matches" when call.Args.Count == 1 && target.Type.Kind == RefKind.String:
                // A pattern without an exact .NET form leaves the rule unchecked rather than checked with another meaning.
                var pattern = String(call.Args[0], "matches");
                guards.Peek().Add($"{Functions}.IsSupportedPattern({pattern})");
                return ($"{Functions}.Matches({target.Code}, {pattern})", TypeRef.Boolean);
            case "family" when call.Args.Count == 0 && target.Type == IpType:
                return ($"{Functions}.IPFamily({target.Code})", TypeRef.Int64);
            case "prefixLength" when call.Args.Count == 0 && target.Type == CidrType:
                return ($"{Functions}.PrefixLength({target.Code})", TypeRef.Int64);
            case "containsIP" when call.Args.Count == 1 && target.Type == CidrType:
                var other = Translate(call.Args[0]);
                if (other.Type.Kind != RefKind.String && other.Type != IpType)
                {
                    throw new CelUnsupportedException("containsIP() takes an IP");
                }

                return ($"{Functions}.ContainsIP({target.Code}, {other.Code})", TypeRef.Boolean);
        }

        if (target.Type == QuantityType)
        {
            switch (call.Function)
            {
                case "isInteger" when call.Args.Count == 0:
                    return ($"{Functions}.IsInteger({target.Code})", TypeRef.Boolean);
                case "asInteger" when call.Args.Count == 0:
                    guards.Peek().Add($"{Functions}.IsInteger({target.Code})");
                    return ($"{Functions}.AsInteger({target.Code})", TypeRef.Int64);
                case "sign" when call.Args.Count == 0:
                    return ($"(long){target.Code}.Sign", TypeRef.Int64);
                case "compareTo" or "isGreaterThan" or "isLessThan" when call.Args.Count == 1:
                    var otherQuantity = Translate(call.Args[0]);
                    if (otherQuantity.Type != QuantityType)
                    {
                        throw new CelUnsupportedException($"{call.Function}() takes a quantity");
                    }

                    var compared = $"global::System.Numerics.BigInteger.Compare({target.Code}, {otherQuantity.Code})";
                    return call.Function switch
                    {
                        "compareTo" => ($"(long){compared}", TypeRef.Int64),
                        "isGreaterThan" => ($"({compared} > 0)", TypeRef.Boolean),
                        _ => ($"({compared} < 0)", TypeRef.Boolean),
                    };
            }
        }

        throw new CelUnsupportedException($"method '{call.Function}' with {call.Args.Count} argument(s) is not supported here");
    }

    /// <summary>int(), double(), string(), timestamp(), quantity() and isQuantity(); null for any other function. A
    /// conversion that fails in CEL is an error, so its guard leaves the rule undecided.</summary>
    private (string Code, TypeRef Type)? Conversion(string function, CelExpr argument)
    {
        if (function is not ("int" or "double" or "string" or "timestamp" or "quantity" or "isQuantity"))
        {
            return null;
        }

        var value = Translate(argument);
        var kind = value.Type.Kind;
        switch (function)
        {
            case "int" when IsInteger(value.Type):
                return ($"(long){value.Code}", TypeRef.Int64);
            case "int" when kind == RefKind.Double:
                guards.Peek().Add($"{Functions}.IsInt({value.Code})");
                return ($"(long){value.Code}", TypeRef.Int64);
            case "int" when kind == RefKind.String:
                guards.Peek().Add($"{Functions}.IsInt({value.Code})");
                return ($"{Functions}.Int({value.Code})", TypeRef.Int64);
            case "double" when IsInteger(value.Type):
                return ($"(double){value.Code}", TypeRef.Double);
            case "double" when kind == RefKind.Double:
                return (value.Code, TypeRef.Double);
            case "double" when kind == RefKind.String:
                guards.Peek().Add($"{Functions}.IsDouble({value.Code})");
                return ($"{Functions}.Double({value.Code})", TypeRef.Double);
            case "string" when kind == RefKind.String:
                return (value.Code, TypeRef.String);
            case "string" when IsInteger(value.Type):
                return ($"{Functions}.String((long){value.Code})", TypeRef.String);
            case "string" when kind == RefKind.Boolean:
                return ($"({value.Code} ? \"true\" : \"false\")", TypeRef.String);
            case "string" when kind == RefKind.Enum:
                return ($"{value.Type.FullName}JsonConverter.ToWire({value.Code})", TypeRef.String);
            case "timestamp" when kind == RefKind.String:
                guards.Peek().Add($"{Functions}.IsTimestamp({value.Code})");
                return ($"{Functions}.Timestamp({value.Code})", TimestampType);
            case "quantity" when kind == RefKind.String:
                guards.Peek().Add($"{Functions}.IsComputableQuantity({value.Code})");
                return ($"{Functions}.Quantity({value.Code})", QuantityType);
            case "isQuantity" when kind == RefKind.String:
                return ($"{Functions}.IsQuantity({value.Code})", TypeRef.Boolean);
        }

        throw new CelUnsupportedException($"{function}() of this type is not supported");
    }

    private (string Code, TypeRef Type) Macro(CelCall call)
    {
        if (call.Args.Count != 2 || call.Args[0] is not CelIdent variable)
        {
            throw new CelUnsupportedException($"{call.Function}() takes a variable and a predicate");
        }

        var target = Translate(call.Target!);
        string source;
        TypeRef element;
        if (target.Type.Kind == RefKind.List)
        {
            source = target.Code;
            element = target.Type.Element!;
        }
        else if (target.Type.Kind == RefKind.Map)
        {
            source = target.Code + ".Keys";
            element = TypeRef.String;
        }
        else
        {
            throw new CelUnsupportedException($"{call.Function}() needs a list or a map");
        }

        var name = "cel_" + variable.Name;
        if (variables.ContainsKey(variable.Name))
        {
            throw new CelUnsupportedException($"variable '{variable.Name}' shadows another");
        }

        variables[variable.Name] = (name, element);
        guards.Push(new List<string>());
        var predicate = Translate(call.Args[1]);
        var scope = guards.Pop();
        variables.Remove(variable.Name);

        var linq = "global::System.Linq.Enumerable";
        if (call.Function == "map")
        {
            // The mapped values are needed, so an element whose expression reads an unset field leaves the rule undecided.
            if (scope.Count > 0)
            {
                guards.Peek().Add($"{linq}.All({source}, {name} => {Conjunction(scope)})");
            }

            return ($"{linq}.ToList({linq}.Select({source}, {name} => {predicate.Code}))", new TypeRef(RefKind.List, string.Empty, predicate.Type));
        }

        RequireBool(predicate.Type, call.Function + "()");

        // An element whose predicate reads an unset field counts as satisfying it. CEL errors there; the server rejects
        // whatever the outcome, so this never reports what the server accepts.
        var body = Guarded(scope, predicate.Code);
        return call.Function switch
        {
            "all" => ($"{linq}.All({source}, {name} => {body})", TypeRef.Boolean),
            "exists" => ($"{linq}.Any({source}, {name} => {body})", TypeRef.Boolean),
            "filter" => ($"{linq}.ToList({linq}.Where({source}, {name} => {body}))", new TypeRef(RefKind.List, string.Empty, element)),
            _ => ($"({linq}.Count({source}, {name} => {body}) == 1)", TypeRef.Boolean),
        };
    }

    private (string Code, TypeRef Type) Size((string Code, TypeRef Type) value) => value.Type.Kind switch
    {
        RefKind.String => ($"{Functions}.Size({value.Code})", TypeRef.Int64),
        RefKind.List or RefKind.Map => ($"(long){value.Code}.Count", TypeRef.Int64),
        _ => throw new CelUnsupportedException("size() takes a string, list or map"),
    };

    private string Integer(CelExpr expr, string function)
    {
        var value = Translate(expr);
        if (!IsInteger(value.Type))
        {
            throw new CelUnsupportedException($"{function}() takes an integer there");
        }

        return value.Code;
    }

    /// <summary>CEL's escaped field names: <c>__namespace__</c> for a reserved word, <c>__dot__</c>, <c>__dash__</c>,
    /// <c>__slash__</c> and <c>__underscores__</c> inside names.</summary>
    private static string Unescape(string field)
    {
        if (field.Length > 4 && field.StartsWith("__", StringComparison.Ordinal) && field.EndsWith("__", StringComparison.Ordinal) && Reserved.Contains(field.Substring(2, field.Length - 4)))
        {
            return field.Substring(2, field.Length - 4);
        }

        return field.Replace("__underscores__", "\u0000").Replace("__dot__", ".").Replace("__dash__", "-").Replace("__slash__", "/").Replace("\u0000", "__");
    }

    /// <summary><c>format.name().validate(x)</c>, the Kubernetes format library (an optional list of errors).</summary>
    private static bool IsFormatValidation(CelExpr expr) =>
        expr is CelCall { Function: "validate", Args.Count: 1, Target: CelCall { Target: CelIdent { Name: "format" }, Args.Count: 0 } };

    /// <summary>C# that is true when the value of a <c>format.name().validate(x)</c> call is valid.</summary>
    private string FormatValidation(CelExpr expr)
    {
        var call = (CelCall)expr;
        var name = ((CelCall)call.Target!).Function;
        if (!KnownFormats.Contains(name))
        {
            throw new CelUnsupportedException($"format.{name}() is not a format of the Kubernetes format library");
        }

        return $"{Functions}.IsFormat({SourceWriter.Literal(name)}, {String(call.Args[0], "validate")})";
    }

    private static readonly HashSet<string> KnownFormats = new(StringComparer.Ordinal)
    {
        "dns1123Label", "dns1123Subdomain", "dns1035Label", "qualifiedName", "dns1123LabelPrefix", "dns1123SubdomainPrefix",
        "dns1035LabelPrefix", "labelValue", "uri", "uuid", "byte", "date", "datetime",
    };

    /// <summary><c>{"a": 1, "b": 2}[key]</c> with literal string keys and values of one type: a switch on the key; a key
    /// the map lacks is a CEL error, so the rule is then undecided.</summary>
    private (string Code, TypeRef Type) MapLookup(CelMap map, CelExpr keyExpr)
    {
        if (map.Entries.Count == 0 || map.Entries.Any(e => e.Key is not CelLiteral { Value: string }))
        {
            throw new CelUnsupportedException("map literals are supported with string keys, when indexed");
        }

        var values = map.Entries.Select(e => Translate(e.Value)).ToList();
        if (values.Any(v => !SameKind(v.Type, values[0].Type)) || values[0].Type.Kind is not (RefKind.String or RefKind.Int64 or RefKind.Int32 or RefKind.Boolean or RefKind.Double))
        {
            throw new CelUnsupportedException("the values of a map literal must be scalars of one type");
        }

        var key = Translate(keyExpr);
        var text = key.Type.Kind switch
        {
            RefKind.String => key.Code,
            RefKind.Enum => $"{key.Type.FullName}JsonConverter.ToWire({key.Code})",
            _ => throw new CelUnsupportedException("a map literal is indexed by a string here"),
        };
        var keys = map.Entries.Select(e => SourceWriter.Literal((string)((CelLiteral)e.Key).Value!)).ToList();
        guards.Peek().Add($"({text} is {string.Join(" or ", keys)})");
        var arms = keys.Zip(values, (k, v) => $"{k} => {v.Code}, ");
        return ($"({text} switch {{ {string.Concat(arms)}_ => {values[0].Code} }})", values[0].Type);
    }

    private string String(CelExpr expr, string function)
    {
        var value = Translate(expr);
        if (value.Type.Kind != RefKind.String)
        {
            throw new CelUnsupportedException($"{function}() takes a string");
        }

        return value.Code;
    }

    private (string Code, TypeRef Type) Binary(CelBinary binary)
    {
        if (binary.Op is "&&" or "||")
        {
            var l = Translate(binary.Left);
            RequireBool(l.Type, binary.Op);

            // The right side runs only when the left does not decide: its guards matter only then.
            guards.Push(new List<string>());
            var r = Translate(binary.Right);
            var rightGuard = Conjunction(guards.Pop());
            RequireBool(r.Type, binary.Op);
            if (rightGuard is not null)
            {
                guards.Peek().Add(binary.Op == "&&" ? $"(!{l.Code} || {rightGuard})" : $"({l.Code} || {rightGuard})");
            }

            return ($"({l.Code} {binary.Op} {r.Code})", TypeRef.Boolean);
        }

        if (binary.Op == "in" && binary.Right is CelList { Items: var literals } && literals.All(x => x is CelLiteral { Value: string }))
        {
            var value = Translate(binary.Left);
            var wires = literals.Select(x => (string)((CelLiteral)x).Value!).ToList();
            if (value.Type.Kind == RefKind.Enum)
            {
                // Literals the schema's enum lacks are compared as text (a value kept from a newer release may be one).
                var tests = wires.Select(w => EnumMember(value.Type, w) is { } m ? $"{value.Code} == {m}" : $"{value.Type.FullName}JsonConverter.ToWire({value.Code}) == {SourceWriter.Literal(w)}").ToList();
                return (tests.Count == 0 ? "false" : "(" + string.Join(" || ", tests) + ")", TypeRef.Boolean);
            }

            if (value.Type.Kind == RefKind.String)
            {
                return ($"({value.Code} is {string.Join(" or ", wires.Select(SourceWriter.Literal))})", TypeRef.Boolean);
            }
        }

        if (binary.Op is "==" or "!=" && (IsFormatValidation(binary.Left) || IsFormatValidation(binary.Right)) && (binary.Left is CelLiteral { Value: null } || binary.Right is CelLiteral { Value: null }))
        {
            var valid = FormatValidation(binary.Left is CelLiteral ? binary.Right : binary.Left);
            return (binary.Op == "==" ? valid : "!" + valid, TypeRef.Boolean);
        }

        if (binary.Op is "==" or "!=" && (binary.Left is CelLiteral { Value: null } || binary.Right is CelLiteral { Value: null }))
        {
            var other = binary.Left is CelLiteral { Value: null } ? binary.Right : binary.Left;
            var present = Has(other);
            return (binary.Op == "==" ? $"!{present.Code}" : present.Code, TypeRef.Boolean);
        }

        var left = Translate(binary.Left);
        var right = Translate(binary.Right);
        switch (binary.Op)
        {
            case "==":
            case "!=":
                var eq = $"({Equality(left, right, binary.Left, binary.Right)})";
                return (binary.Op == "==" ? eq : "!" + eq, TypeRef.Boolean);
            case "<":
            case "<=":
            case ">":
            case ">=":
                if (IsNumber(left.Type) && IsNumber(right.Type))
                {
                    return ($"({left.Code} {binary.Op} {right.Code})", TypeRef.Boolean);
                }

                if (left.Type.Kind == RefKind.String && right.Type.Kind == RefKind.String)
                {
                    return ($"(string.CompareOrdinal({left.Code}, {right.Code}) {binary.Op} 0)", TypeRef.Boolean);
                }

                if ((left.Type == DurationType && right.Type == DurationType) || (left.Type == TimestampType && right.Type == TimestampType)
                    || (left.Type == QuantityType && right.Type == QuantityType))
                {
                    return ($"({left.Code} {binary.Op} {right.Code})", TypeRef.Boolean);
                }

                throw new CelUnsupportedException($"'{binary.Op}' compares numbers, strings, durations or timestamps only");
            case "in":
                if (right.Type.Kind == RefKind.List && SameKind(left.Type, right.Type.Element!) && left.Type.Kind is RefKind.String or RefKind.Int32 or RefKind.Int64 or RefKind.Enum or RefKind.Boolean)
                {
                    return ($"global::System.Linq.Enumerable.Contains({right.Code}, {left.Code})", TypeRef.Boolean);
                }

                if (right.Type.Kind == RefKind.List && right.Type.Element!.Kind == RefKind.Enum && left.Type.Kind == RefKind.String)
                {
                    return ($"global::System.Linq.Enumerable.Any({right.Code}, cel_e => {right.Type.Element.FullName}JsonConverter.ToWire(cel_e) == {left.Code})", TypeRef.Boolean);
                }

                if (right.Type.Kind == RefKind.Map && left.Type.Kind == RefKind.String)
                {
                    return ($"{right.Code}.ContainsKey({left.Code})", TypeRef.Boolean);
                }

                throw new CelUnsupportedException("'in' needs a list of the same scalar type, or a map with string keys");
            case "+":
                if (left.Type.Kind == RefKind.String && right.Type.Kind == RefKind.String)
                {
                    return ($"({left.Code} + {right.Code})", TypeRef.String);
                }

                if ((left.Type == TimestampType && right.Type == DurationType) || (left.Type == DurationType && right.Type == TimestampType))
                {
                    return ($"({left.Code} + {right.Code})", TimestampType);
                }

                goto case "-";
            case "-" when left.Type == TimestampType && right.Type == TimestampType:
                return ($"({left.Code} - {right.Code})", DurationType);
            case "-" when left.Type == TimestampType && right.Type == DurationType:
                return ($"({left.Code} - {right.Code})", TimestampType);
            case "-":
            case "*":
            case "/":
            case "%":
                if (IsNumber(left.Type) && IsNumber(right.Type))
                {
                    var type = left.Type.Kind == RefKind.Double || right.Type.Kind == RefKind.Double ? TypeRef.Double : TypeRef.Int64;
                    if (binary.Op is "/" or "%" && type == TypeRef.Int64)
                    {
                        guards.Peek().Add($"{right.Code} != 0");
                    }

                    return ($"({left.Code} {binary.Op} {right.Code})", type);
                }

                throw new CelUnsupportedException($"'{binary.Op}' on these types is not supported");
        }

        throw new CelUnsupportedException($"operator '{binary.Op}' is not supported");
    }

    private string Equality((string Code, TypeRef Type) left, (string Code, TypeRef Type) right, CelExpr leftExpr, CelExpr rightExpr)
    {
        if (left.Type.Kind == RefKind.Enum && rightExpr is CelLiteral { Value: string wireRight })
        {
            // A literal the schema's enum lacks can still equal a value kept from a newer release: compare the text.
            return EnumMember(left.Type, wireRight) is { } member ? $"{left.Code} == {member}" : $"{left.Type.FullName}JsonConverter.ToWire({left.Code}) == {SourceWriter.Literal(wireRight)}";
        }

        if (right.Type.Kind == RefKind.Enum && leftExpr is CelLiteral { Value: string wireLeft })
        {
            return EnumMember(right.Type, wireLeft) is { } member ? $"{member} == {right.Code}" : $"{SourceWriter.Literal(wireLeft)} == {right.Type.FullName}JsonConverter.ToWire({right.Code})";
        }

        if (IsNumber(left.Type) && IsNumber(right.Type))
        {
            return $"{left.Code} == {right.Code}";
        }

        if ((left.Type == DurationType && right.Type == DurationType) || (left.Type == TimestampType && right.Type == TimestampType)
            || (left.Type == QuantityType && right.Type == QuantityType))
        {
            return $"{left.Code} == {right.Code}";
        }

        if (SameKind(left.Type, right.Type) && left.Type.Kind is RefKind.String or RefKind.Boolean or RefKind.Enum)
        {
            return left.Type.Kind == RefKind.String ? $"string.Equals({left.Code}, {right.Code}, global::System.StringComparison.Ordinal)" : $"{left.Code} == {right.Code}";
        }

        throw new CelUnsupportedException("'==' compares scalars of one type only");
    }

    private static bool IsInteger(TypeRef type) => type.Kind is RefKind.Int32 or RefKind.Int64;

    private static bool IsNumber(TypeRef type) => type.Kind is RefKind.Int32 or RefKind.Int64 or RefKind.Double;

    private static bool SameKind(TypeRef a, TypeRef b) =>
        (IsInteger(a) && IsInteger(b)) || (a.Kind == b.Kind && a.FullName == b.FullName && (a.Element is null || (b.Element is not null && SameKind(a.Element, b.Element))));

    private static void RequireBool(TypeRef type, string where)
    {
        if (type.Kind != RefKind.Boolean)
        {
            throw new CelUnsupportedException($"{where} needs a boolean");
        }
    }

    private static void RequireNumber(TypeRef type, string where)
    {
        if (!IsNumber(type))
        {
            throw new CelUnsupportedException($"{where} needs a number");
        }
    }
}
