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
                var then = Translate(conditional.Then);
                var otherwise = Translate(conditional.Else);
                if (!SameKind(then.Type, otherwise.Type))
                {
                    throw new CelUnsupportedException("the branches of '?:' have different types");
                }

                return ($"({condition.Code} ? {then.Code} : {otherwise.Code})", then.Type);
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

                return ($"new {items[0].Type.CSharp}[] {{ {string.Join(", ", items.Select(i => i.Code))} }}", new TypeRef(RefKind.List, string.Empty, items[0].Type));
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

        var property = record.Properties.FirstOrDefault(p => p.WireName == select.Field)
            ?? throw new CelUnsupportedException($"'{select.Field}' is not a field of {record.Name}");
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

    private string? DefaultLiteral(string json, TypeRef type)
    {
        switch (type.Kind)
        {
            case RefKind.Int32:
            case RefKind.Int64:
                return long.TryParse(json, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l.ToString(CultureInfo.InvariantCulture) : null;
            case RefKind.Double:
                return double.TryParse(json, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d.ToString("R", CultureInfo.InvariantCulture) + "d" : null;
            case RefKind.Boolean:
                return json is "true" or "false" ? json : null;
            case RefKind.String when json.Length >= 2 && json[0] == '"' && json.IndexOf('\\') < 0:
                return SourceWriter.Literal(json.Substring(1, json.Length - 2));
            case RefKind.Enum when json.Length >= 2 && json[0] == '"' && json.IndexOf('\\') < 0:
                return EnumMember(type, json.Substring(1, json.Length - 2));
            default:
                return null;
        }
    }

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
        else if (record.Properties.FirstOrDefault(p => p.WireName == select.Field) is { } property)
        {
            test = property.Required && property.Type.IsValueType ? "true" : $"{target.Code}.{property.Name} is not null";
        }
        else
        {
            test = $"({target.Code}.AdditionalProperties?.ContainsKey({SourceWriter.Literal(select.Field)}) ?? false)";
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
            }

            throw new CelUnsupportedException($"function '{call.Function}' with {call.Args.Count} argument(s) is not supported");
        }

        if (call.Function is "all" or "exists" or "exists_one")
        {
            return Macro(call);
        }

        var target = Translate(call.Target);
        switch (call.Function)
        {
            case "size" when call.Args.Count == 0:
                return Size(target);
            case "startsWith" or "endsWith" or "contains" when call.Args.Count == 1 && target.Type.Kind == RefKind.String:
                var method = char.ToUpperInvariant(call.Function[0]) + call.Function.Substring(1);
                return ($"{target.Code}.{method}({String(call.Args[0], call.Function)}, global::System.StringComparison.Ordinal)", TypeRef.Boolean);
            case "matches" when call.Args.Count == 1 && target.Type.Kind == RefKind.String:
                return ($"{Functions}.Matches({target.Code}, {String(call.Args[0], "matches")})", TypeRef.Boolean);
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

        throw new CelUnsupportedException($"method '{call.Function}' with {call.Args.Count} argument(s) is not supported here");
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
        RequireBool(predicate.Type, call.Function + "()");

        // An element whose predicate reads an unset field counts as satisfying it (never a false violation).
        var body = Guarded(scope, predicate.Code);
        var linq = "global::System.Linq.Enumerable";
        return call.Function switch
        {
            "all" => ($"{linq}.All({source}, {name} => {body})", TypeRef.Boolean),
            "exists" => ($"{linq}.Any({source}, {name} => {body})", TypeRef.Boolean),
            _ => ($"({linq}.Count({source}, {name} => {body}) == 1)", TypeRef.Boolean),
        };
    }

    private (string Code, TypeRef Type) Size((string Code, TypeRef Type) value) => value.Type.Kind switch
    {
        RefKind.String => ($"{Functions}.Size({value.Code})", TypeRef.Int64),
        RefKind.List or RefKind.Map => ($"(long){value.Code}.Count", TypeRef.Int64),
        _ => throw new CelUnsupportedException("size() takes a string, list or map"),
    };

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
            var r = Translate(binary.Right);
            RequireBool(l.Type, binary.Op);
            RequireBool(r.Type, binary.Op);
            return ($"({l.Code} {binary.Op} {r.Code})", TypeRef.Boolean);
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

                throw new CelUnsupportedException($"'{binary.Op}' compares numbers or strings only");
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

                goto case "-";
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
            return EnumMember(left.Type, wireRight) is { } member ? $"{left.Code} == {member}" : "false";
        }

        if (right.Type.Kind == RefKind.Enum && leftExpr is CelLiteral { Value: string wireLeft })
        {
            return EnumMember(right.Type, wireLeft) is { } member ? $"{member} == {right.Code}" : "false";
        }

        if (IsNumber(left.Type) && IsNumber(right.Type))
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
