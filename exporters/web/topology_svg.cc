#include "exporters/web/topology_svg.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <map>

#include "daemon/element_state.h"
#include "exporters/web/html.h"
#include "exporters/web/page_text.h"

namespace lanwatch {
namespace {

constexpr size_t kNoParent = SIZE_MAX;
constexpr double kNodeWidth = 132, kNodeHeight = 34, kColumnPitch = 196, kRowPitch = 44,
                 kMargin = 12;

struct Colours {
  const char* fill;
  const char* stroke;
};

Colours ColoursOf(ElementState s) {
  switch (s) {
    case ElementState::kOk:
      return {"#e7f5ec", "#2f9e55"};
    case ElementState::kWarning:
      return {"#fff3d1", "#d08a00"};
    case ElementState::kCritical:
      return {"#fde3e1", "#d93025"};
    case ElementState::kUnknown:
      return {"#eef0f3", "#8a93a1"};
    case ElementState::kSuppressed:
      return {"#ebe8f5", "#7b6fb0"};
  }
  return {"#eef0f3", "#8a93a1"};
}

enum class NodeKind { kIsp, kDevice, kLinkLeaf };

struct Node {
  NodeKind kind;
  std::string name;   // device or link; the ISP's: its uplink's
  std::string label;  // shown
  ElementState state = ElementState::kUnknown;
  int column = 0;
  size_t parent = kNoParent;  // the node it hangs off: orders a column so edges cross little
  int order = 0;              // creation order, the tie breaker
  int row = 0;
  double x = 0, y = 0;  // top left
};

struct Edge {
  size_t from, to;
  const LinkStatus* link = nullptr;  // null: a wire between devices (a `parent` relation)
  ElementState state = ElementState::kUnknown;
};

// Names longer than a node holds are cut; the full name is in the node's <title>.
std::string Fit(std::string_view name, size_t columns) {
  std::string out;
  size_t used = 0;
  for (size_t i = 0; i < name.size();) {
    auto b = static_cast<unsigned char>(name[i]);
    size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    size_t width = n >= 3 ? 2 : 1;  // CJK takes two columns
    if (used + width > columns) return out + "…";
    out.append(name.substr(i, n));
    used += width;
    i += n;
  }
  return out;
}

class Layout {
 public:
  explicit Layout(const PageInput& in) : in_(in) {}

  void Build() {
    const Config& config = in_.config;
    std::vector<const LinkStatus*> uplinks;
    for (const LinkStatus& l : in_.status.links) {
      if (l.kind == "uplink") uplinks.push_back(&l);
    }
    const int device_column = uplinks.empty() ? 0 : 1;
    // ISPs first, each feeding its uplink's device.
    for (const LinkStatus* l : uplinks) {
      isp_of_.emplace_back(
          AddNode({NodeKind::kIsp, l->name, std::string(Words(in_.language).isp),
                   ElementState::kUnknown, 0, kNoParent, static_cast<int>(nodes_.size())}),
          l);
    }
    // Devices by breadth-first walks over the parent relations, taken both ways: from each
    // uplink's device first, then from any device not yet reached.
    std::vector<std::string> starts;
    for (const LinkStatus* l : uplinks) starts.push_back(l->device);
    for (const DeviceConfig& d : config.devices) starts.push_back(d.name);
    for (const std::string& start : starts) {
      if (config.FindDevice(start) == nullptr || device_node_.contains(start)) continue;
      Walk(start, device_column);
    }
    for (auto [isp, link] : isp_of_) {
      auto it = device_node_.find(link->device);
      if (it == device_node_.end()) continue;
      if (nodes_[it->second].parent == kNoParent) nodes_[it->second].parent = isp;
      edges_.push_back({isp, it->second, link, LinkState(*link)});
    }
    for (const LinkStatus& l : in_.status.links) {
      if (l.kind == "uplink") continue;
      auto it = device_node_.find(l.device);
      if (it == device_node_.end()) continue;
      // After the devices of the same column: a unit's leaf below the server on the switch.
      size_t leaf =
          AddNode({NodeKind::kLinkLeaf, l.name, l.name, LinkState(l), nodes_[it->second].column + 1,
                   it->second, 1000 + static_cast<int>(nodes_.size())});
      edges_.push_back({it->second, leaf, &l, nodes_[leaf].state});
    }
    Place();
  }

  std::string Render() const {
    std::string out;
    out.reserve(8192);
    fmt::format_to(std::back_inserter(out),
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"topology\" role=\"img\" "
                   "viewBox=\"0 0 {:.0f} {:.0f}\" width=\"{:.0f}\" height=\"{:.0f}\">",
                   width_, height_, width_, height_);
    for (const Edge& e : edges_) RenderEdge(out, e);
    for (const Node& n : nodes_) RenderNode(out, n);
    out += "</svg>";
    return out;
  }

 private:
  size_t AddNode(Node n) {
    nodes_.push_back(std::move(n));
    return nodes_.size() - 1;
  }

  ElementState LinkState(const LinkStatus& l) const {
    return LinkElementState(l, in_.status, in_.config, in_.alerting);
  }

  ElementState DeviceState(std::string_view name) const {
    const DeviceStatus* d = in_.status.FindDevice(name);
    return d ? DeviceElementState(*d, in_.status, in_.config, in_.alerting)
             : ElementState::kUnknown;
  }

  void Walk(const std::string& start, int base_column) {
    std::deque<std::pair<std::string, size_t>> queue;  // device, the node it was reached from
    auto add = [&](const std::string& name, int column, size_t parent) {
      size_t node = AddNode({NodeKind::kDevice, name, name, DeviceState(name), column, parent,
                             static_cast<int>(nodes_.size())});
      device_node_[name] = node;
      return node;
    };
    queue.emplace_back(start, add(start, base_column, kNoParent));
    while (!queue.empty()) {
      auto [name, node] = queue.front();
      queue.pop_front();
      for (const std::string& next : Neighbours(name)) {
        if (device_node_.contains(next)) continue;
        size_t child = add(next, nodes_[node].column + 1, node);
        edges_.push_back({node, child, nullptr, nodes_[child].state});
        queue.emplace_back(next, child);
      }
    }
  }

  // Devices wired to `name`: its parent and the devices whose parent it is, in config order.
  std::vector<std::string> Neighbours(const std::string& name) const {
    std::vector<std::string> out;
    const DeviceConfig* self = in_.config.FindDevice(name);
    for (const DeviceConfig& d : in_.config.devices) {
      if ((self && d.name == self->parent) || d.parent == name) out.push_back(d.name);
    }
    return out;
  }

  // Each column stacked top to bottom in the order of the nodes they hang off, columns centred
  // on the tallest.
  void Place() {
    std::map<int, std::vector<size_t>> columns;
    for (size_t i = 0; i < nodes_.size(); ++i) columns[nodes_[i].column].push_back(i);
    size_t tallest = 1;
    for (const auto& [column, members] : columns) tallest = std::max(tallest, members.size());
    auto parent_row = [&](const Node& n) {
      return n.parent == kNoParent ? -1 : nodes_[n.parent].row;
    };
    int last_column = 0;
    for (auto& [column, members] : columns) {  // left to right: a parent's row is known
      std::stable_sort(members.begin(), members.end(), [&](size_t a, size_t b) {
        const Node &x = nodes_[a], &y = nodes_[b];
        return std::pair(parent_row(x), x.order) < std::pair(parent_row(y), y.order);
      });
      double top = kMargin + static_cast<double>(tallest - members.size()) * kRowPitch / 2;
      for (size_t k = 0; k < members.size(); ++k) {
        Node& n = nodes_[members[k]];
        n.x = kMargin + column * kColumnPitch;
        n.y = top + static_cast<double>(k) * kRowPitch;
        n.row = static_cast<int>(k);
      }
      last_column = std::max(last_column, column);
    }
    width_ = 2 * kMargin + last_column * kColumnPitch + kNodeWidth;
    height_ = 2 * kMargin + static_cast<double>(tallest - 1) * kRowPitch + kNodeHeight;
  }

  void RenderEdge(std::string& out, const Edge& e) const {
    const Node &a = nodes_[e.from], &b = nodes_[e.to];
    double x1 = a.x + kNodeWidth, y1 = a.y + kNodeHeight / 2, x2 = b.x, y2 = b.y + kNodeHeight / 2;
    double mid = (x1 + x2) / 2;
    // An elbow: out of the parent, down the gap between the columns, into the child.
    std::string d = fmt::format("M{:.1f},{:.1f}H{:.1f}V{:.1f}H{:.1f}", x1, y1, mid, y2, x2);
    if (e.link == nullptr) {
      fmt::format_to(std::back_inserter(out),
                     "<path class=\"wire\" d=\"{}\" fill=\"none\" stroke=\"#9aa3b0\" "
                     "stroke-width=\"1.5\"/>",
                     d);
      return;
    }
    Colours c = ColoursOf(e.state);
    std::string name = EscapeHtml(e.link->name);
    fmt::format_to(std::back_inserter(out),
                   "<a href=\"/link/{}\" class=\"edge\" data-link=\"{}\" data-state=\"{}\">"
                   "<title>{} · {}</title><path d=\"{}\" fill=\"none\" stroke=\"{}\" "
                   "stroke-width=\"{}\"{}/></a>",
                   UrlEncodePathSegment(e.link->name), name, ToString(e.state), name,
                   StateWord(e.state, in_.language), d, c.stroke,
                   e.link->kind == "uplink" ? 4 : 2.5,
                   e.state == ElementState::kSuppressed ? " stroke-dasharray=\"6 3\"" : "");
  }

  void RenderNode(std::string& out, const Node& n) const {
    Colours c = n.kind == NodeKind::kIsp ? Colours{"#f4f6f8", "#5b6472"} : ColoursOf(n.state);
    std::string name = EscapeHtml(n.name);
    std::string title = EscapeHtml(n.kind == NodeKind::kIsp ? n.label : n.name);
    if (n.kind == NodeKind::kDevice) {
      fmt::format_to(std::back_inserter(out),
                     "<g class=\"node device\" data-device=\"{}\" data-state=\"{}\">", name,
                     ToString(n.state));
    } else if (n.kind == NodeKind::kLinkLeaf) {
      fmt::format_to(std::back_inserter(out),
                     "<a href=\"/link/{}\" class=\"node leaf\" data-link=\"{}\" "
                     "data-state=\"{}\">",
                     UrlEncodePathSegment(n.name), name, ToString(n.state));
    } else {
      out += "<g class=\"node isp\">";
    }
    fmt::format_to(std::back_inserter(out),
                   "<title>{}{}{}</title><rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{}\" "
                   "height=\"{}\" rx=\"{}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.5\"{}/>",
                   title, n.kind == NodeKind::kIsp ? "" : " · ",
                   n.kind == NodeKind::kIsp ? "" : StateWord(n.state, in_.language), n.x, n.y,
                   kNodeWidth, kNodeHeight, n.kind == NodeKind::kDevice ? 4 : 17, c.fill, c.stroke,
                   n.state == ElementState::kSuppressed ? " stroke-dasharray=\"4 3\"" : "");
    fmt::format_to(std::back_inserter(out),
                   "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-size=\"13\" "
                   "fill=\"#1f2933\">{}</text>",
                   n.x + kNodeWidth / 2, n.y + kNodeHeight / 2 + 4.5, EscapeHtml(Fit(n.label, 16)));
    out += n.kind == NodeKind::kLinkLeaf ? "</a>" : "</g>";
  }

  const PageInput& in_;
  std::vector<Node> nodes_;
  std::vector<Edge> edges_;
  std::map<std::string, size_t> device_node_;
  std::vector<std::pair<size_t, const LinkStatus*>> isp_of_;
  double width_ = 0, height_ = 0;
};

}  // namespace

std::string RenderTopologySvg(const PageInput& in) {
  Layout layout(in);
  layout.Build();
  return layout.Render();
}

}  // namespace lanwatch
