#!/usr/bin/env bash
# Vendor the web page's third-party assets into the package (src/rasd/web/static/vendor), so `pip install`
# and `rasd serve` never need npm or a CDN. Run after changing web/package.json; commit the result.
#   bash scripts/build_web.sh            # npm ci (exact versions from web/package-lock.json) + copy
# Then builds the map's boundaries (scripts/build_web_geo.py): the world's country outlines from the npm package
# world-atlas (Natural Earth) just installed, and Syria's OCHA units when ../shared is present.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
web="$root/web"
dest="$root/src/rasd/web/static/vendor"
cd "$web"
npm ci --no-audit --no-fund --ignore-scripts
rm -rf "$dest"
mkdir -p "$dest/leaflet/images" "$dest/markercluster" "$dest/swagger-ui"
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css "$dest/leaflet/"
cp node_modules/leaflet/dist/images/*.png "$dest/leaflet/images/"
cp node_modules/leaflet/LICENSE "$dest/leaflet/LICENSE"
cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
   node_modules/leaflet.markercluster/dist/MarkerCluster.css \
   node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css "$dest/markercluster/"
cp node_modules/leaflet.markercluster/MIT-LICENCE.txt "$dest/markercluster/LICENSE" 2>/dev/null \
   || cp node_modules/leaflet.markercluster/LICENSE* "$dest/markercluster/" 2>/dev/null || true
cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
   node_modules/swagger-ui-dist/LICENSE node_modules/swagger-ui-dist/NOTICE "$dest/swagger-ui/"
# strip source-map references: the maps are not shipped
sed -i '/sourceMappingURL=/d' "$dest"/leaflet/leaflet.js "$dest"/markercluster/leaflet.markercluster.js \
   "$dest"/swagger-ui/swagger-ui-bundle.js "$dest"/swagger-ui/swagger-ui.css "$dest"/leaflet/leaflet.css || true
node -e 'const p=require("./package-lock.json").packages;for(const k of Object.keys(p)){if(k)console.log(k.replace("node_modules/",""),p[k].version)}' \
   > "$dest/VERSIONS.txt"
"${PYTHON:-$root/.venv/bin/python}" "$root/scripts/build_web_geo.py"
du -sh "$dest" "$root/src/rasd/web/static/geo" 2>/dev/null || true
