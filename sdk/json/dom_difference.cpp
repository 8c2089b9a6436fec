// The first difference between two JSON DOMs, with its path (matrix/json_difference.hpp).
#include "dom_difference.hpp"

#include <rapidjson/writer.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "json_dom.hpp"
#include "json_text_dom.hpp"
#include "json_writer.hpp"

namespace matrix::detail {
namespace {

// Strings in reports are cut: a message names where values differ, it need not repeat a body.
constexpr std::size_t kMaxQuotedBytes = 200;

std::string_view view_of(const rapidjson::Value& string) {
    return {string.GetString(), string.GetStringLength()};
}

// JSON string syntax, so that control characters cannot garble a one-line message; the DOMs
// hold valid UTF-8 only (their parse checks it), so the cut backs off to a character boundary.
std::string quoted(std::string_view text) {
    const bool cut = text.size() > kMaxQuotedBytes;
    if (cut) {
        std::size_t end = kMaxQuotedBytes;
        while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
        text = text.substr(0, end);
    }
    std::string out;
    StringOutput output{&out};
    rapidjson::Writer<StringOutput> writer(output);
    writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    if (cut) out.insert(out.size() - 1, "\xE2\x80\xA6");  // an ellipsis inside the quotes
    return out;
}

std::string describe(const rapidjson::Value& value) {
    if (is_text_string(value)) return quoted(view_of(value));
    if (value.IsObject()) return "an object";
    if (value.IsArray()) {
        return "an array of " + std::to_string(value.Size()) +
               (value.Size() == 1 ? " element" : " elements");
    }
    return compact_text_of(value);  // a number as written, true, false or null
}

bool is_plain_name(std::string_view name) {
    return !name.empty() && std::ranges::all_of(name, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
    });
}

void append_member(std::string& path, std::string_view name) {
    if (is_plain_name(name)) {
        path += '.';
        path.append(name);
    } else {
        path += '[' + quoted(name) + ']';
    }
}

// Where a value sits: its parent's step and its own, so the walk stores no path strings (a
// value nested a million deep would make that quadratic); a path is spelled out only for the
// difference reported.
struct Step {
    std::size_t parent;  // kRoot for the whole value
    std::string_view member;
    rapidjson::SizeType index = 0;
    bool is_member = false;
};

constexpr std::size_t kRoot = static_cast<std::size_t>(-1);

std::string spell_path(const std::vector<Step>& steps, std::size_t at) {
    std::vector<std::size_t> chain;
    for (std::size_t i = at; i != kRoot; i = steps[i].parent) chain.push_back(i);
    std::string path = "$";
    for (auto i = chain.rbegin(); i != chain.rend(); ++i) {
        const Step& step = steps[*i];
        if (step.is_member) {
            append_member(path, step.member);
        } else {
            path += '[' + std::to_string(step.index) + ']';
        }
    }
    return path;
}

bool same_kind(const rapidjson::Value& a, const rapidjson::Value& b) {
    if (is_number(a) || is_number(b)) return is_number(a) && is_number(b);
    if (a.IsBool() && b.IsBool()) return true;
    return a.GetType() == b.GetType();
}

// A name `object` gives more than once, for the report when member counts differ but every
// name is found on both sides.
std::string_view repeated_name(const rapidjson::Value& object) {
    for (auto member = object.MemberBegin(); member != object.MemberEnd(); ++member) {
        for (auto later = member + 1; later != object.MemberEnd(); ++later) {
            if (view_of(later->name) == view_of(member->name)) return view_of(member->name);
        }
    }
    return {};
}

}  // namespace

std::optional<JsonDifference> first_dom_difference(const rapidjson::Value& expected,
                                                   const rapidjson::Value& actual,
                                                   JsonDiffOptions options) {
    // Work in the order it is reported: a value is compared, a member `expected` names is looked
    // for where the walk reaches it (so a difference inside an earlier member comes first), and
    // an object's members only `actual` has are looked for once its own members are done.
    enum class Task { compare, find_member, refuse_extra_members };
    struct Pending {
        Task task;
        const rapidjson::Value* expected;
        const rapidjson::Value* actual;  // for find_member, the object to look in
        std::size_t step;                // index into `steps`, or kRoot
    };
    // Walked with an explicit stack: values composed with Json::array and Json::object may nest
    // deeper than any parse allows.
    std::vector<Step> steps;
    std::vector<Pending> pending{{Task::compare, &expected, &actual, kRoot}};
    while (!pending.empty()) {
        const Pending at = pending.back();
        pending.pop_back();
        const rapidjson::Value& e = *at.expected;
        const rapidjson::Value& a = *at.actual;
        if (at.task == Task::find_member) {
            const rapidjson::Value* found = find_member(a, steps[at.step].member);
            if (found == nullptr)
                return JsonDifference{spell_path(steps, at.step), describe(e), "(absent)"};
            pending.push_back({Task::compare, &e, found, at.step});
            continue;
        }
        if (at.task == Task::refuse_extra_members) {
            for (auto member = a.MemberBegin(); member != a.MemberEnd(); ++member) {
                const std::string_view name = view_of(member->name);
                if (find_member(e, name) == nullptr) {
                    steps.push_back({at.step, name, 0, true});
                    return JsonDifference{spell_path(steps, steps.size() - 1), "(absent)",
                                          describe(member->value)};
                }
            }
            // Every name is on both sides, so one side gives a name twice: a repeated name
            // must not stand in for a missing one.
            if (a.MemberCount() != e.MemberCount()) {
                const bool actual_repeats = a.MemberCount() > e.MemberCount();
                const std::string name(repeated_name(actual_repeats ? a : e));
                const std::string repeated = "member " + quoted(name) + " more than once";
                return JsonDifference{spell_path(steps, at.step),
                                      actual_repeats ? "each member once" : repeated,
                                      actual_repeats ? repeated : "each member once"};
            }
            continue;
        }
        const auto differs = [&] {
            return JsonDifference{spell_path(steps, at.step), describe(e), describe(a)};
        };
        if (is_number(e) && is_number(a)) {
            if (!numbers_equal(e, a)) return differs();
        } else if (!same_kind(e, a)) {
            return differs();
        } else if (e.IsBool()) {
            if (e.GetBool() != a.GetBool()) return differs();
        } else if (is_text_string(e)) {
            if (view_of(e) != view_of(a)) return differs();
        } else if (e.IsArray()) {
            if (e.Size() != a.Size()) return differs();
            for (rapidjson::SizeType i = e.Size(); i-- > 0;) {
                steps.push_back({at.step, {}, i, false});
                pending.push_back({Task::compare, &e[i], &a[i], steps.size() - 1});
            }
        } else if (e.IsObject()) {
            // Pushed in reverse: the stack gives them back in `expected`'s member order, and
            // the check for extra members last.
            if (!options.ignore_extra_members)
                pending.push_back({Task::refuse_extra_members, &e, &a, at.step});
            for (auto member = e.MemberEnd(); member != e.MemberBegin();) {
                --member;
                steps.push_back({at.step, view_of(member->name), 0, true});
                pending.push_back({Task::find_member, &member->value, &a, steps.size() - 1});
            }
        }
        // null equals null once the kinds agree.
    }
    return std::nullopt;
}

}  // namespace matrix::detail
