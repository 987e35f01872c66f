package discord

import (
	"bytes"
	"strings"

	"github.com/agreementbot/agreementbot/bot"
	"github.com/bwmarrin/discordgo"
)

// maxImageBytes bounds an attached image: Discord's upload limit for a
// message (10 MiB).
const maxImageBytes = 10 << 20

// pngSignature starts every PNG file.
const pngSignature = "\x89PNG\r\n\x1a\n"

// attachImage attaches the reply's PNG to data as a file and shows it as
// the embed's image. An image that is not a PNG, or is too large to
// upload, is left out: the description already says what it shows.
func attachImage(data *discordgo.InteractionResponseData, img *bot.Image) {
	if len(img.PNG) > maxImageBytes || !bytes.HasPrefix(img.PNG, []byte(pngSignature)) {
		return
	}
	name := fileName(img.Name)
	data.Files = []*discordgo.File{{Name: name, ContentType: "image/png", Reader: bytes.NewReader(img.PNG)}}
	data.Embeds[0].Image = &discordgo.MessageEmbedImage{URL: "attachment://" + name}
}

// maxFileName bounds an attachment's file name.
const maxFileName = 64

// fileName makes an image's name safe for an upload and for the
// attachment:// URL that refers to it, which must match it exactly:
// letters, digits, '.', '-' and '_', ending in .png; "map.png" when
// nothing is left.
func fileName(name string) string {
	name = strings.TrimSuffix(name, ".png")
	var b strings.Builder
	for i := 0; i < len(name) && b.Len() < maxFileName-len(".png"); i++ {
		c := name[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' && b.Len() > 0 {
			b.WriteByte(c)
		}
	}
	if b.Len() == 0 {
		return "map.png"
	}
	return b.String() + ".png"
}

// imageAt shows the attached image from url instead, for a response that
// cannot carry files (the HTTP endpoint's); it reports false when url is
// not one to link to, leaving data unchanged.
func imageAt(data *discordgo.InteractionResponseData, url string) bool {
	u, ok := linkURL(url)
	if !ok || len(data.Embeds) == 0 || data.Embeds[0].Image == nil {
		return false
	}
	data.Files = nil
	data.Embeds[0].Image = &discordgo.MessageEmbedImage{URL: u}
	return true
}

// dropImage leaves the image out of data: its alt text stays.
func dropImage(data *discordgo.InteractionResponseData) {
	data.Files = nil
	if len(data.Embeds) > 0 {
		data.Embeds[0].Image = nil
	}
}
